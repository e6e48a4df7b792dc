#!/usr/bin/env bash
# Builds SurrealQt and runs every test: the local server's own suite, the Qt Test suite (unit
# tests, and integration tests against a real SurrealDB engine) through CTest, then a subset of
# it again under AddressSanitizer + UndefinedBehaviorSanitizer in build-asan, with the fuzzers'
# regression corpora and a bounded fuzzing run (docs/reliability.md, "Sanitizers in CI").
# SURREALQT_TEST_URL (+ SURREALQT_TEST_USER / SURREALQT_TEST_PASS) points the integration
# tests at another server, e.g. a real `surreal start`. SURREALQT_SANITIZERS=0 skips the
# sanitizer stage (a quicker local run; CI runs it).
set -euo pipefail
source "$(dirname "$0")/ensure-deps.sh"
# The same build tree and flags as tools/demo.sh (warnings as errors): after the demo only the
# tests and benchmarks are left to build.
configure
build

sanitizers=${SURREALQT_SANITIZERS:-1}
asan_tests=(
    tst_cborcodec tst_recordid tst_valuetypes tst_queryresult
    tst_connection tst_resilience tst_http
    tst_querylistmodel tst_modellistmodel tst_listmodel_regressions
    tst_bulk tst_bulkfaults
)
fuzzers=(fuzz_cbor fuzz_rpcreply fuzz_recordid fuzz_querycompiler)
asan_build_pid=
# Kept in the ordinary build tree, which exists by now (build-asan may not yet).
asan_log=$SURREALQT_BUILD/build-asan.log
if [ "$sanitizers" != 0 ]; then
    # The sanitizer tree compiles while the ordinary suite runs: that suite mostly waits on the
    # server, so the cores are free. Not during the ordinary build: in its own session (setsid)
    # it is its own scheduling group, which nice does not hold back, so it halves that build's
    # share of the cores (measured: 12 min 14 s to the end of the suite against 10 min 5 s).
    configure_asan >"$asan_log" 2>&1 || { cat "$asan_log"; exit 1; }
    setsid nice -n 10 cmake --build "$SURREALQT_ASAN_BUILD" -j"$(nproc)" \
        --target "${asan_tests[@]}" "${fuzzers[@]}" >>"$asan_log" 2>&1 &
    asan_build_pid=$!
    # Its own process group (setsid), so that a failing step above stops the whole build with it.
    trap '[ -z "$asan_build_pid" ] || kill -- "-$asan_build_pid" 2>/dev/null || true' EXIT
fi

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

[ "$sanitizers" != 0 ] || exit 0
echo "== ASan + UBSan: codec, connection, list-model and bulk tests, fuzzers (build-asan)"
# A subset, to stay within CI's time (docs/reliability.md, "Sanitizers in CI"): the whole suite
# under the sanitizers is docs/threading.md's command.
if ! wait "$asan_build_pid"; then
    asan_build_pid=
    tail -n 60 "$asan_log"
    echo "the sanitizer tree did not build (whole log: $asan_log)" >&2
    exit 1
fi
asan_build_pid=
cd "$SURREALQT_ASAN_BUILD"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$SURREALQT_ROOT/tests/common/lsan.supp
selected=$(IFS='|'; echo "${asan_tests[*]}")
# The fuzzers' tests: fuzz_<target>_corpus (regression inputs) and fuzz_<target> (15 s of fuzzing).
ctest --output-on-failure --timeout 900 -j2 -R "^(${selected}|fuzz_[a-z]+(_corpus)?)\$"
