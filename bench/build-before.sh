#!/usr/bin/env bash
# Builds the release `dehub` of an older revision, for the before/after table of bench/verify-bench.sh:
#   bash bench/build-before.sh REV OUT_DIR
#   BENCH_BEFORE_BIN=OUT_DIR make bench
# The revision is checked out in a temporary git worktree (its own .build, so a cold build: minutes), and the binary
# is copied to OUT_DIR/dehub; the worktree is removed afterwards.
set -euo pipefail
REV=${1:?usage: bench/build-before.sh REV OUT_DIR}
OUT=${2:?usage: bench/build-before.sh REV OUT_DIR}
REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
TREE=$(mktemp -d "${TMPDIR:-/tmp}/dehub-before.XXXXXX")
cleanup() { git -C "$REPO_ROOT" worktree remove --force "$TREE" >/dev/null 2>&1 || rm -rf "$TREE"; }
trap cleanup EXIT
git -C "$REPO_ROOT" worktree add --detach -q "$TREE" "$REV"
(cd "$TREE" && swift build -c release --product dehub >&2)
mkdir -p "$OUT"
cp "$TREE/.build/release/dehub" "$OUT/dehub"
echo "$OUT/dehub: dehub at $(git -C "$REPO_ROOT" rev-parse --short "$REV")"
