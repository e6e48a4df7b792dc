#!/usr/bin/env bash
# Builds SurrealQt and its example apps (nothing else: the tests and benchmarks are left
# for tools/test.sh, which reuses this build), then runs the quickstart example against a local
# SurrealDB it starts itself.
set -euo pipefail
source "$(dirname "$0")/ensure-deps.sh"
configure
build quickstart contacts qml_tasks library

bash "$SURREALQT_ROOT/tools/surreal-local/ctest-server.sh" start "$SURREALQT_BUILD"
trap 'bash "$SURREALQT_ROOT/tools/surreal-local/ctest-server.sh" stop "$SURREALQT_BUILD"' EXIT
SURREALQT_TEST_URL= "$SURREALQT_BUILD/examples/quickstart/quickstart" "$(cat "$SURREALQT_BUILD/surreal-local.url")" root root
