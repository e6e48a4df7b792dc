#!/usr/bin/env bash
# Builds SurrealQt and runs every test: the local server's own suite, then the Qt Test suite
# (unit tests, and integration tests against a real SurrealDB engine) through CTest.
# SURREALQT_TEST_URL (+ SURREALQT_TEST_USER / SURREALQT_TEST_PASS) points the integration
# tests at another server, e.g. a real `surreal start`.
set -euo pipefail
source "$(dirname "$0")/ensure-deps.sh"
# The same build tree and flags as tools/demo.sh (warnings as errors): after the demo only the
# tests and benchmarks are left to build.
configure
build

echo "== tools/surreal-local tests"
server_log=$SURREALQT_BUILD/surreal-local-tests.log
if (cd "$SURREALQT_ROOT/tools/surreal-local" && npm test --silent >"$server_log" 2>&1); then
    tail -n 9 "$server_log"
else
    cat "$server_log"
    echo "tools/surreal-local tests failed" >&2
    exit 1
fi

echo "== Qt Test suite"
cd "$SURREALQT_BUILD"
ctest --output-on-failure --timeout 600 -j2
