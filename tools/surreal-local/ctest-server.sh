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
    fifo=$(mktemp -u)
    mkfifo "$fifo"
    nohup node "$here/server.mjs" --bind 127.0.0.1:0 --user root --pass root --storage memory \
        >"$fifo" 2>"$logfile" &
    echo $! >"$pidfile"
    # The first line names the address; the rest of stdout goes to the log.
    exec 3<"$fifo"
    rm -f "$fifo"
    if ! read -r -t 60 line <&3; then
        echo "surreal-local did not start; log:" >&2
        cat "$logfile" >&2
        exit 1
    fi
    (cat <&3 >>"$logfile" &)
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
