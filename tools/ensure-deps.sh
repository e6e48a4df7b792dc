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
    qcoro-qt6-dev libgl-dev libmimalloc2.0 nodejs npm clang-format
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

# Extra arguments are CMake cache settings, e.g. -DSURREALQT_WARNINGS_AS_ERRORS=ON.
configure_and_build() {
    if [ ! -f "$SURREALQT_BUILD/build.ninja" ] || [ $# -gt 0 ]; then
        cmake -S "$SURREALQT_ROOT" -B "$SURREALQT_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
    fi
    cmake --build "$SURREALQT_BUILD" -j2
}

ensure_packages
ensure_server
