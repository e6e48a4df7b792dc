#!/usr/bin/env bash
# Starts or stops the surreal-local server for the CTest fixture.
# usage: ctest-server.sh start|stop BUILD_DIR
# With SURREALQT_TEST_URL set, the tests use that server and nothing is started.
set -euo pipefail
action=$1
build=$2
here=$(cd "$(dirname "$0")" && pwd)
urlfile=$build/surreal-local.url
pidfile=$build/surreal-local.pid
logfile=$build/surreal-local.log

case "$action" in
start)
    if [ -n "${SURREALQT_TEST_URL:-}" ]; then
        echo "using external server $SURREALQT_TEST_URL"
        exit 0
    fi
    [ -d "$here/node_modules/@surrealdb/node" ] || { echo "run 'npm ci' in $here first" >&2; exit 1; }
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        kill "$(cat "$pidfile")" 2>/dev/null || true
    fi
    rm -f "$urlfile"
    outfile=$build/surreal-local.out
    : >"$outfile"
    # Every descriptor goes to a file: CTest waits for pipes that a background process still holds.
    nohup bash "$here/surreal-local" --bind 127.0.0.1:0 --user root --pass root --storage memory \
        >"$outfile" 2>"$logfile" </dev/null &
    pid=$!
    echo $pid >"$pidfile"
    line=
    for _ in $(seq 1 600); do
        line=$(head -n 1 "$outfile")
        [[ $line == *listening* ]] && break
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "surreal-local exited during start-up; log:" >&2
            cat "$logfile" >&2
            exit 1
        fi
        sleep 0.1
    done
    addr=$(echo "$line" | sed -n 's/.*listening on \([^ ]*\).*/\1/p')
    [ -n "$addr" ] || { echo "unexpected first line: $line" >&2; exit 1; }
    echo "ws://$addr" >"$urlfile"
    echo "surreal-local at ws://$addr (pid $(cat "$pidfile"))"
    ;;
stop)
    if [ -f "$pidfile" ]; then
        kill "$(cat "$pidfile")" 2>/dev/null || true
        rm -f "$pidfile"
    fi
    rm -f "$urlfile"
    ;;
*)
    echo "usage: $0 start|stop BUILD_DIR" >&2
    exit 2
    ;;
esac
