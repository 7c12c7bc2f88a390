#!/usr/bin/env bash
# The event stream's figures (issue 13): 500 idle SSE watchers' extra host memory, one push reaching all of them
# (median and worst latency from the end of the push), and a push's duration with 500 watchers attached against
# none. A release dehub-host on 127.0.0.1 with a stand-in hook that accepts every push (the hook's own cost is
# hook-bench's); pushes go over the embedded SSH server as the admin.
# Usage: bench/watch-bench.sh BIN_DIR   (BIN_DIR holds a release dehub-host)
# Environment: BENCH_WATCHERS (500), BENCH_PUSHES (15), BENCH_KEEP=1. Prints the figures; writes nothing else.
set -euo pipefail
BIN=$(cd "${1:?usage: bench/watch-bench.sh BIN_DIR}" && pwd)
REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
HOST_BIN="$BIN/dehub-host"
[ -x "$HOST_BIN" ] || { echo "bench: $HOST_BIN not found; run: swift build -c release --product dehub-host" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dehub-watch.XXXXXX")
HOST_PID=
cleanup() {
  [ -n "$HOST_PID" ] && kill "$HOST_PID" 2>/dev/null && wait "$HOST_PID" 2>/dev/null || true
  [ -z "${BENCH_KEEP:-}" ] && rm -rf "$WORK" || echo "bench: files kept in $WORK" >&2
}
trap cleanup EXIT
export HOME="$WORK/home" GIT_CONFIG_GLOBAL="$WORK/home/.gitconfig" GIT_CONFIG_NOSYSTEM=1 LC_ALL=C
mkdir -p "$HOME"
git config --global user.name Bench; git config --global user.email bench@bench.example
ulimit -n "$(ulimit -Hn)"

printf '#!/bin/sh\ncat >/dev/null\nexit 0\n' > "$WORK/accept-hook"; chmod +x "$WORK/accept-hook"
ssh-keygen -q -t ed25519 -N '' -C admin -f "$WORK/admin"
mkdir -p "$WORK/data"
cat > "$WORK/data/host-config.yml" <<'CONFIG'
max_connections: 4096
max_connections_per_address: 2048
CONFIG
"$HOST_BIN" serve --data "$WORK/data" --ssh 127.0.0.1:0 --http 127.0.0.1:0 --hook "$WORK/accept-hook" \
  --admin-key "$WORK/admin.pub" --log-level error > "$WORK/host.log" 2>&1 &
HOST_PID=$!
for _ in $(seq 200); do grep -q '^ready$' "$WORK/host.log" && break; sleep 0.1; done
SSH_PORT=$(sed -n 's/^ssh listening on .*:\([0-9]*\)$/\1/p' "$WORK/host.log")
HTTP_PORT=$(sed -n 's/^http listening on .*:\([0-9]*\)$/\1/p' "$WORK/host.log")
export GIT_SSH_COMMAND="ssh -p $SSH_PORT -i $WORK/admin -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
$GIT_SSH_COMMAND git@127.0.0.1 repo create demo >/dev/null
git init -q -b main "$WORK/tree"
echo 0 > "$WORK/tree/n.txt"; git -C "$WORK/tree" add n.txt; git -C "$WORK/tree" commit -qm "root: signed"
git -C "$WORK/tree" push -q "ssh://git@127.0.0.1:$SSH_PORT/demo.git" HEAD:main
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$REPO_ROOT/bench/watch-bench.py" "$HOST_PID" "$HTTP_PORT" "ssh://git@127.0.0.1:$SSH_PORT/demo.git" "$WORK/tree" \
  "${BENCH_WATCHERS:-500}" "${BENCH_PUSHES:-15}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
