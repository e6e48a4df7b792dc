#!/usr/bin/env bash
# Builds SurrealQt and runs every test: the local server's own suite, then the Qt Test suite
# (unit tests, and integration tests against a real SurrealDB engine) through CTest.
# SURREALQT_TEST_URL (+ SURREALQT_TEST_USER / SURREALQT_TEST_PASS) points the integration
# tests at another server, e.g. a real `surreal start`.
# SURREALQT_SANITIZERS=1 then runs a subset again under AddressSanitizer + UndefinedBehaviorSanitizer
# in build-asan, with the fuzzers' regression corpora and a bounded fuzzing run
# (docs/reliability.md). Off by default for now: it has not yet been run green on the code as it
# stands (the connection and list-model refactors landed after its last clean run).
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

[ "${SURREALQT_SANITIZERS:-0}" != 0 ] || exit 0
echo "== ASan + UBSan: codec, connection, list-model and bulk tests, fuzzers (build-asan)"
# A subset, to stay within CI's time (docs/reliability.md, "Sanitizers in CI"): the whole suite
# under the sanitizers is docs/threading.md's command.
asan_tests=(
    tst_cborcodec tst_recordid tst_valuetypes tst_queryresult
    tst_connection tst_resilience tst_http
    tst_querylistmodel tst_modellistmodel tst_listmodel_regressions
    tst_bulk
)
# tst_bulkfaults is not in it: under ASan's timing it failed once in two runs (an atomic batch
# whose reply was dropped came back AlreadyExists on the retry), a defect being looked at; a
# flaky test here would fail CI for everyone.
fuzzers=(fuzz_cbor fuzz_rpcreply fuzz_recordid fuzz_querycompiler)
configure_asan
SURREALQT_BUILD=$SURREALQT_ASAN_BUILD build "${asan_tests[@]}" "${fuzzers[@]}"
cd "$SURREALQT_ASAN_BUILD"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$SURREALQT_ROOT/tests/common/lsan.supp
selected=$(IFS='|'; echo "${asan_tests[*]}")
# The fuzzers' tests: fuzz_<target>_corpus (regression inputs) and fuzz_<target> (15 s of fuzzing).
ctest --output-on-failure --timeout 900 -j2 -R "^(${selected}|fuzz_[a-z]+(_corpus)?)\$"
