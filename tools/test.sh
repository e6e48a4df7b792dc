#!/usr/bin/env bash
# Builds SurrealQt and runs every test: the local server's own suite, then the Qt Test suite
# (unit tests, and integration tests against a real SurrealDB engine) through CTest.
# SURREALQT_TEST_URL (+ SURREALQT_TEST_USER / SURREALQT_TEST_PASS) points the integration
# tests at another server, e.g. a real `surreal start`.
set -euo pipefail
source "$(dirname "$0")/ensure-deps.sh"
configure_and_build

echo "== tools/surreal-local tests"
(cd "$SURREALQT_ROOT/tools/surreal-local" && npm test --silent 2>&1 | tail -n 12)

echo "== Qt Test suite"
cd "$SURREALQT_BUILD"
ctest --output-on-failure --timeout 600 -j2
