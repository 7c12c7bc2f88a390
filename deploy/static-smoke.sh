#!/usr/bin/env bash
# Smoke test of the static binary: it must start with an empty environment (no HOME, no PATH, no
# locale) and, when run as root, inside an empty chroot that holds nothing but the binary and /proc
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

chroot_tool="$(command -v chroot || true)"
unshare_tool="$(command -v unshare || true)"
if [[ "$(id -u)" == 0 && -n "$chroot_tool" && -n "$unshare_tool" ]]; then
    # A root that holds only the binary and a fresh /proc (the Swift runtime reads /proc/self/exe
    # at start-up): no /etc, no /usr/lib, no loader. A dynamic executable fails here for want of its
    # loader. unshare gives the /proc mount a private mount namespace, so nothing outlives the check.
    scratch="$(mktemp -d)"
    cp "$BINARY" "$scratch/dehub"
    mkdir "$scratch/proc"
    in_empty_root=(env -i "$unshare_tool" --mount --pid --fork --mount-proc="$scratch/proc" "$chroot_tool" "$scratch" /dehub)
    check "empty root (binary + /proc), env -i: --version" "." "${in_empty_root[@]}" --version
    check "empty root (binary + /proc), env -i: --help" "USAGE:" "${in_empty_root[@]}" --help
else
    echo "SKIP empty-root checks (need root, chroot and unshare)"
    skipped=$((skipped + 2))
fi

echo "$passed passed, $failed failed, $skipped skipped"
((failed == 0))
