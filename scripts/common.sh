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
