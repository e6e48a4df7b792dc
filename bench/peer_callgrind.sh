#!/bin/bash
# Instructions per row the client executes for select-all and model-load, counted by callgrind
# (repeatable on a noisy machine, unlike times). Each run gets a fresh surreal-local; a run that
# only fills the table (--only none) is subtracted, so what remains is the reads.
#
#   bench/peer_callgrind.sh [build/bench/bench_peer] [records 2000] [reads 5]
#
# Needs valgrind and `npm ci` in tools/surreal-local. Prints one line per workload:
#   <workload> instructions/row = N
# and leaves the callgrind files in $TMPDIR/peer_callgrind.* for callgrind_annotate.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath "${1:-$here/build/bench/bench_peer}")
records=${2:-2000}
reads=${3:-5}
out=$(mktemp -d "${TMPDIR:-/tmp}/peer_callgrind.XXXXXX")

count() { # workload -> total instructions of the client process
    local log="$out/server-$1.log"
    setsid "$here/tools/surreal-local/surreal-local" --bind 127.0.0.1:0 --storage memory --user root \
        --pass root --log-level error >"$log" 2>&1 &
    local server=$!
    for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.2; done
    local address
    address=$(sed -n 's/listening on \(\S*\).*/\1/p' "$log")
    valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.$1" "$bin" --url "ws://$address" \
        --records "$records" --reads "$reads" --only "$1" >/dev/null 2>"$out/valgrind-$1.log"
    kill -TERM -- "-$server" 2>/dev/null || kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out/valgrind-$1.log"
}

base=$(count none)
for workload in select-all model-load; do
    total=$(count "$workload")
    echo "$workload instructions/row = $(((total - base) / (records * reads)))"
done
echo "callgrind files: $out"
