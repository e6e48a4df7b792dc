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

# Builds the given targets (all of them without arguments) on every core.
build() {
    local targets=()
    [ $# -eq 0 ] || targets=(--target "$@")
    cmake --build "$SURREALQT_BUILD" -j"$(nproc)" "${targets[@]}"
}

ensure_packages
ensure_server
