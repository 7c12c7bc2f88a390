#!/usr/bin/env bash
# Smoke test of the static binary: it must start with an empty environment (no HOME, no PATH, no
# locale) and, when run as root, inside an empty chroot that holds nothing but the binary itself
# (no /etc, no /usr/lib, no loader), the way it lands on an unknown server.
#
#   deploy/static-smoke.sh [BINARY]     (default: dist/dehub)
#
# Prints one line per check and a closing 'N passed, N failed'; exits non-zero if any check failed.
set -euo pipefail

readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BINARY="${1:-$ROOT/dist/dehub}"
[[ "$BINARY" == /* ]] || BINARY="$PWD/$BINARY"
readonly BINARY
passed=0
failed=0
skipped=0
scratch=""
cleanup() { [[ -z "$scratch" ]] || rm -rf -- "$scratch"; }
trap cleanup EXIT

[[ -x "$BINARY" ]] || { echo "static-smoke: no executable at $BINARY; run 'make static' first" >&2; exit 1; }

# check NAME EXPECTED-SUBSTRING COMMAND...: the command exits 0 and its stdout contains the text.
check() {
    local name="$1" expected="$2" output status=0
    shift 2
    output="$("$@" 2>&1)" || status=$?
    if ((status == 0)) && [[ "$output" == *"$expected"* ]]; then
        echo "PASS $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name (exit $status, expected output containing '$expected')"
        printf '     | %s\n' "${output:0:2000}"
        failed=$((failed + 1))
    fi
}

check "env -i: --version" "." env -i "$BINARY" --version
check "env -i: --help" "USAGE:" env -i "$BINARY" --help
check "env -i, cwd /: --version" "." env -i sh -c 'cd / && exec "$0" --version' "$BINARY"

if [[ "$(id -u)" == 0 ]] && command -v chroot >/dev/null; then
    # An empty root: only the binary. A dynamic executable fails here for want of its loader.
    scratch="$(mktemp -d)"
    cp "$BINARY" "$scratch/dehub"
    check "empty chroot, env -i: --version" "." env -i chroot "$scratch" /dehub --version
    check "empty chroot, env -i: --help" "USAGE:" env -i chroot "$scratch" /dehub --help
else
    echo "SKIP empty chroot checks (need root and chroot)"
    skipped=$((skipped + 2))
fi

echo "$passed passed, $failed failed, $skipped skipped"
((failed == 0))
