#!/usr/bin/env bash
# Builds SurrealQt and runs the quickstart example against a local SurrealDB it starts itself.
set -euo pipefail
source "$(dirname "$0")/ensure-deps.sh"
configure_and_build

bash "$SURREALQT_ROOT/tools/surreal-local/ctest-server.sh" start "$SURREALQT_BUILD"
trap 'bash "$SURREALQT_ROOT/tools/surreal-local/ctest-server.sh" stop "$SURREALQT_BUILD"' EXIT
SURREALQT_TEST_URL= "$SURREALQT_BUILD/examples/quickstart/quickstart" "$(cat "$SURREALQT_BUILD/surreal-local.url")" root root
