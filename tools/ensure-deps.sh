#!/usr/bin/env bash
# Installs what SurrealQt needs on Debian 12, once: a second run only checks.
# Sourced by tools/demo.sh and tools/test.sh.
set -euo pipefail

SURREALQT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SURREALQT_BUILD=${SURREALQT_BUILD:-$SURREALQT_ROOT/build}

surrealqt_packages=(
    build-essential cmake ninja-build pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qt6-declarative-dev
    qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
    qml6-module-qtquick-window qml6-module-qttest qml6-module-qtqml-workerscript
    qt6-declarative-dev-tools qml-qt6 qml6-module-qtqml qml6-module-qtqml-models
    qml6-module-qtquick-templates qml6-module-qtquick-dialogs qml6-module-qt-labs-qmlmodels
    qcoro-qt6-dev libgl-dev libmimalloc2.0 nodejs npm clang-format doxygen
    # tools/surreal-local/make-test-certs.sh: the test CA and certificate of the TLS tests.
    openssl
    # The sanitizer tree of tools/test.sh: clang with its sanitizer and libFuzzer runtimes.
    clang-14 libclang-rt-14-dev
)

ensure_packages() {
    local missing=()
    for p in "${surrealqt_packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    # A machine may bring its own Node.js (node + npm on PATH) instead of Debian's.
    if command -v node >/dev/null && command -v npm >/dev/null; then
        local keep=()
        for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || keep+=("$p"); done
        missing=("${keep[@]}")
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        echo "== installing: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

ensure_server() {
    local dir=$SURREALQT_ROOT/tools/surreal-local
    local major
    major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
    if [ "$major" -lt 20 ]; then
        echo "tools/surreal-local needs Node.js 20 or newer; found $(node --version 2>/dev/null || echo none)" >&2
        exit 1
    fi
    local stamp=$dir/node_modules/.surrealqt-lock
    if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
        echo "== npm ci in tools/surreal-local"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
        cp "$dir/package-lock.json" "$stamp"
    fi
}

# One configuration for tools/demo.sh and tools/test.sh (warnings as errors in both: our own code
# builds without a warning on Debian 12), so whichever runs second reuses what the first built
# instead of rebuilding everything with other flags. A build tree configured otherwise (an older
# tools/*.sh, or by hand) is configured again once.
configure() {
    if [ -f "$SURREALQT_BUILD/build.ninja" ] &&
        grep -qx 'SURREALQT_WARNINGS_AS_ERRORS:BOOL=ON' "$SURREALQT_BUILD/CMakeCache.txt" 2>/dev/null &&
        grep -qx 'CMAKE_BUILD_TYPE:STRING=RelWithDebInfo' "$SURREALQT_BUILD/CMakeCache.txt" 2>/dev/null; then
        return
    fi
    cmake -S "$SURREALQT_ROOT" -B "$SURREALQT_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DSURREALQT_WARNINGS_AS_ERRORS=ON
}

# The sanitizer tree (tools/test.sh): ASan + UBSan as docs/threading.md describes them, built with
# clang so that the libFuzzer targets of tests/fuzz are in the same tree, Debug so that Qt's
# Q_ASSERTs stay, at -O0 with line tables only (reports still name file and line). -O0, not
# ASan's usual -O1: the tree compiles in 6 min of CPU instead of 10, and the subset below ran
# 71 s against 85 s at -O1, since these tests wait on the server rather than compute (measured on
# a quiet 2-core machine, issue 15). No QML module, examples or benchmarks: only the
# tests in asan_tests (tools/test.sh) are built and run there, to stay within CI's time
# (docs/reliability.md, "Sanitizers in CI", says what runs and what it costs).
# Warnings are errors in the gcc tree (configure()); here clang's own warnings are shown but do
# not fail the build, since this tree is about what runs. Same rule as configure(): a tree set
# up otherwise is configured again once.
SURREALQT_ASAN_BUILD=${SURREALQT_ASAN_BUILD:-$SURREALQT_ROOT/build-asan}
asan_flags="-fsanitize=address,undefined -fno-omit-frame-pointer"
asan_debug_flags="-O0 -gline-tables-only"
configure_asan() {
    if [ -f "$SURREALQT_ASAN_BUILD/build.ninja" ] &&
        grep -qx 'SURREALQT_BUILD_FUZZERS:BOOL=ON' "$SURREALQT_ASAN_BUILD/CMakeCache.txt" 2>/dev/null &&
        grep -qx 'SURREALQT_BUILD_QML:BOOL=OFF' "$SURREALQT_ASAN_BUILD/CMakeCache.txt" 2>/dev/null &&
        grep -qx "CMAKE_CXX_FLAGS:STRING=$asan_flags" "$SURREALQT_ASAN_BUILD/CMakeCache.txt" 2>/dev/null &&
        grep -qx "CMAKE_CXX_FLAGS_DEBUG:STRING=$asan_debug_flags" "$SURREALQT_ASAN_BUILD/CMakeCache.txt" 2>/dev/null; then
        return
    fi
    cmake -S "$SURREALQT_ROOT" -B "$SURREALQT_ASAN_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_CXX_COMPILER=clang++-14 -DSURREALQT_WARNINGS_AS_ERRORS=OFF \
        -DSURREALQT_BUILD_BENCHMARKS=OFF -DSURREALQT_BUILD_EXAMPLES=OFF -DSURREALQT_BUILD_QML=OFF \
        -DSURREALQT_BUILD_FUZZERS=ON \
        -DCMAKE_CXX_FLAGS="$asan_flags" -DCMAKE_CXX_FLAGS_DEBUG="$asan_debug_flags" \
        -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
        -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined"
}

# Builds the given targets (all of them without arguments) on every core.
build() {
    local targets=()
    [ $# -eq 0 ] || targets=(--target "$@")
    cmake --build "$SURREALQT_BUILD" -j"$(nproc)" "${targets[@]}"
}

ensure_packages
ensure_server
