#!/usr/bin/env bash
# Installs dehub's pre-push check into a working repository (default: the current one).
# Usage: hooks/install-pre-push.sh [PATH/TO/dehub] [REPO]
set -euo pipefail
dehub=${1:-$(command -v dehub || true)}
repo=${2:-.}
[ -n "$dehub" ] && [ -x "$dehub" ] || { echo "dehub binary not found: pass its path as the first argument" >&2; exit 66; }
"$dehub" install-hook --repo "$repo" --pre-push
