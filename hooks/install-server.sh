#!/usr/bin/env bash
# Installs dehub as the pre-receive hook of one or more bare repositories.
# Usage: hooks/install-server.sh [--copy] PATH/TO/dehub BARE.git [BARE.git ...]
#   --copy   copy the (static) binary into each repository's hooks/ as pre-receive, instead of a script that runs it
set -euo pipefail
copy=()
if [ "${1:-}" = "--copy" ]; then copy=(--copy); shift; fi
[ $# -ge 2 ] || { sed -n '2,4p' "$0" >&2; exit 64; }
dehub=$1; shift
[ -x "$dehub" ] || { echo "not executable: $dehub" >&2; exit 66; }
for repo in "$@"; do
    "$dehub" install-hook --repo "$repo" "${copy[@]}"
    git -C "$repo" config receive.fsckObjects true
done
