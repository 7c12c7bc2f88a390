#!/usr/bin/env bash
# An admin's HTTP clone on an idle dehub-host against the same clone while a flood of stalled HTTP requests runs
# (issue 8): ATTACKERS connections from as many source addresses each send the head of a git-upload-pack POST and
# half a pkt-line (`0032want`), then nothing, and reconnect whenever the host closes them. Before issue 8 each one
# held a git slot forever.
# Prints one line per phase: median and max of RUNS clone times, and how many clones failed.
# Usage: bench/http-stall-bench.sh BIN_DIR [CONFIG_LINE...]   (BIN_DIR holds dehub-host; CONFIG_LINEs go into
#        host-config.yml, e.g. 'request_body_timeout_seconds: 5')
# Environment: BENCH_ATTACKERS (64), BENCH_RUNS (5), BENCH_REPO_MIB (8), BENCH_CLONE_TIMEOUT (180 s: a clone still
#              running then counts as failed), BENCH_TOKEN_KEY (an OpenSSH public key: clone as that key's admin
#              token, through /auth/, instead of anonymously).
set -euo pipefail
BIN=$(cd "${1:?usage: bench/http-stall-bench.sh BIN_DIR [CONFIG_LINE...]}" && pwd); shift
ATTACKERS=${BENCH_ATTACKERS:-64} RUNS=${BENCH_RUNS:-5} MIB=${BENCH_REPO_MIB:-8} CLONE_TIMEOUT=${BENCH_CLONE_TIMEOUT:-180}
WORK=$(mktemp -d); DATA="$WORK/data"; HOST_PID=""; FLOOD_PIDS=()
cleanup() {
  for pid in "${FLOOD_PIDS[@]}" $HOST_PID; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
export HOME="$WORK" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@b GIT_COMMITTER_NAME=b GIT_COMMITTER_EMAIL=b@b

# The host with an accept-all hook and a repo of MIB MiB of random blobs.
printf '#!/bin/sh\ncat >/dev/null\nexit 0\n' > "$WORK/hook"; chmod +x "$WORK/hook"
mkdir -p "$DATA"; printf '%s\n' "$@" > "$DATA/host-config.yml"
"$BIN/dehub-host" repo create demo --data "$DATA" --hook "$WORK/hook" >/dev/null
git init -q "$WORK/src"
for ((i = 0; i < MIB; i++)); do head -c 1048576 /dev/urandom > "$WORK/src/$i.bin"; done
git -C "$WORK/src" add -A; git -C "$WORK/src" commit -qm seed
git --git-dir "$DATA/repos/demo.git" fetch -q "$WORK/src" HEAD:main
"$BIN/dehub-host" serve --data "$DATA" --ssh off --http 127.0.0.1:0 --hook "$WORK/hook" --log-level error > "$WORK/out" 2>&1 &
HOST_PID=$!
for _ in $(seq 100); do grep -q '^ready' "$WORK/out" && break; sleep 0.1; done
PORT=$(sed -n 's/^http listening on .*:\([0-9]*\)$/\1/p' "$WORK/out")
[ -n "$PORT" ] || { cat "$WORK/out"; exit 1; }
URL="http://127.0.0.1:$PORT/demo.git" WHO=anonymous
if [ -n "${BENCH_TOKEN_KEY:-}" ]; then
  cat "$BENCH_TOKEN_KEY" >> "$DATA/admins"
  TOKEN=$("$BIN/dehub-host" token create bench --key "$BENCH_TOKEN_KEY" --data "$DATA")
  URL="http://x:$TOKEN@127.0.0.1:$PORT/auth/demo.git" WHO=admin
fi

# clones NAME: RUNS clones, one after the other; prints NAME, median and max seconds, failures.
clones() {
  local name=$1 times=() failed=0 start end
  for ((r = 0; r < RUNS; r++)); do
    rm -rf "$WORK/clone"
    start=$(date +%s.%N)
    timeout "$CLONE_TIMEOUT" git clone -q "$URL" "$WORK/clone" 2>/dev/null || failed=$((failed + 1))
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v name="$name" -v failed="$failed" -v runs="$RUNS" \
    '{ t[NR] = $1 } END { printf "%-28s median %6.2f s  max %6.2f s  failed %d/%d\n", name, t[int((NR + 1) / 2)], t[NR], failed, runs }'
}

# The flood: ATTACKERS connections, each from its own source address (127.0.0.2, 127.0.0.3, ...: the host's
# per-address limits would otherwise stop them before the git slots, and the clones come from 127.0.0.1), each
# sending the head of a git-upload-pack POST and half a pkt-line, then nothing; reopened when the host closes it.
cat > "$WORK/flood.py" <<'PY'
import select, socket, sys, time
port, count = int(sys.argv[1]), int(sys.argv[2])
request = (b"POST /demo.git/git-upload-pack HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-git-upload-pack-request\r\n"
           b"Transfer-Encoding: chunked\r\n\r\n8\r\n0032want\r\n")
open_by_source = {}
while True:
    for i in range(count):
        source = "127.0.%d.%d" % (2 + i // 250, 2 + i % 250)
        if source in open_by_source:
            continue
        try:
            s = socket.socket()
            s.bind((source, 0))
            s.connect(("127.0.0.1", port))
            s.sendall(request)
            open_by_source[source] = s
        except OSError:
            s.close()
    ready, _, _ = select.select(list(open_by_source.values()), [], [], 0.5)
    for s in ready:
        try:
            data = s.recv(65536)
        except OSError:
            data = b""
        if not data:
            for source, other in list(open_by_source.items()):
                if other is s:
                    del open_by_source[source]
            s.close()
PY

echo "config: ${*:-defaults}; $ATTACKERS attackers; $MIB MiB repo; $RUNS clones per phase by $WHO"
clones "idle"
python3 "$WORK/flood.py" "$PORT" "$ATTACKERS" & FLOOD_PIDS+=($!)
sleep 3
clones "under $ATTACKERS stalled requests"
