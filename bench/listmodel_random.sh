#!/usr/bin/env bash
# Longer runs of tst_listmodel_random (issue 13): several seeds, many operations per scenario, the
# skipped scenarios included. Prints per run the line "random operations applied: N, checked: M"
# and at the end the totals and the seeds that failed (each reproducible on its own with
# SURREALQT_RANDOM_SEED=<seed> SURREALQT_RANDOM_OPS=<ops> tst_listmodel_random randomSequence:<name>).
#
# usage: bench/listmodel_random.sh [BUILD_DIR] [SEEDS] [OPS] [FIRST_SEED]
#   defaults: build, 5 seeds, 150 operations per scenario, first seed 1
# Environment: SURREALQT_RANDOM_UNSKIP (default 1: run the scenarios CI skips too; set it to 0 or
# to a comma-separated list of scenario names to choose), SURREALQT_TEST_URL (use a running
# server instead of starting one), and test-function arguments in TEST_ARGS (e.g.
# TEST_ARGS=randomSequence:indexed-asc-ties).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
seeds=${2:-5}
ops=${3:-150}
first=${4:-1}
binary=$build/tests/views/tst_listmodel_random
[ -x "$binary" ] || { echo "build the test first: cmake --build $build --target tst_listmodel_random" >&2; exit 2; }

started=
if [ -z "${SURREALQT_TEST_URL:-}" ]; then
    bash "$here/tools/surreal-local/ctest-server.sh" start "$build" >/dev/null
    started=1
    trap 'bash "$here/tools/surreal-local/ctest-server.sh" stop "$build"' EXIT
    SURREALQT_TEST_URL=$(cat "$build/surreal-local.url")
    export SURREALQT_TEST_URL
fi
export SURREALQT_RANDOM_UNSKIP=${SURREALQT_RANDOM_UNSKIP-1}
export QT_QPA_PLATFORM=offscreen

total_applied=0
total_checked=0
failed=()
for seed in $(seq "$first" $((first + seeds - 1))); do
    log=$(mktemp)
    status=0
    # shellcheck disable=SC2086
    SURREALQT_RANDOM_SEED=$seed SURREALQT_RANDOM_OPS=$ops "$binary" ${TEST_ARGS:-} >"$log" 2>&1 || status=$?
    line=$(grep -o 'random operations applied: [0-9]*, checked: [0-9]*' "$log" | tail -n 1 || true)
    applied=$(echo "$line" | sed -n 's/.*applied: \([0-9]*\).*/\1/p')
    checked=$(echo "$line" | sed -n 's/.*checked: \([0-9]*\).*/\1/p')
    total_applied=$((total_applied + ${applied:-0}))
    total_checked=$((total_checked + ${checked:-0}))
    echo "seed $seed: ${line:-no summary} (exit $status)"
    if [ "$status" -ne 0 ]; then
        grep -A1 '^FAIL!' "$log" | sed 's/^/    /' || true
        failed+=("$seed")
        cp "$log" "$build/listmodel_random-seed$seed.log"
        echo "    full output: $build/listmodel_random-seed$seed.log"
    fi
    rm -f "$log"
done
echo "total: random operations applied: $total_applied, checked: $total_checked over $seeds seeds"
[ ${#failed[@]} -eq 0 ] || { echo "seeds with failures: ${failed[*]}"; exit 1; }
[ -z "$started" ] || true
