# Shared by the scripts: strict mode, the repository root, and the checks every script needs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

need_cargo() {
    if ! command -v cargo >/dev/null 2>&1; then
        [ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
    fi
    command -v cargo >/dev/null 2>&1 || {
        echo "error: cargo not found; install Rust (https://rustup.rs) and run again" >&2
        exit 1
    }
}

need_shared_data() {
    if [ ! -d "$ROOT/../shared/data" ]; then
        echo "error: $ROOT/../shared/data is missing: the evaluation data must sit beside the checkout" >&2
        exit 1
    fi
}

# llama.cpp (the `llm` feature) builds with cmake and needs libclang for its bindings.
need_llm_build_deps() {
    local missing=()
    command -v cmake >/dev/null 2>&1 || missing+=(cmake)
    if ! ls /usr/lib/llvm-*/lib/libclang.so* /usr/lib/x86_64-linux-gnu/libclang*.so* >/dev/null 2>&1; then
        missing+=(libclang-dev)
    fi
    [ ${#missing[@]} -eq 0 ] && return 0
    apt_install "${missing[@]}" build-essential
}

# python3 with venv and pip: the ROS 2 wheels and rclpy install into a venv.
need_python_venv() {
    if python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
        return 0
    fi
    apt_install python3-venv python3-pip
}

need_cmake() {
    command -v cmake >/dev/null 2>&1 || apt_install cmake build-essential
}

# Installs Debian packages as root, or says which to install.
apt_install() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: missing $*; install them (apt-get install $*) and run again" >&2
        exit 1
    fi
    echo "installing $*"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "$@" >/dev/null
}
