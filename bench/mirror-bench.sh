#!/usr/bin/env bash
# Mirror latency and cost (issue 15): host A serves a signed project, host B mirrors it (pinned root). For each of
# N signed pushes to A: the time from the end of the accepted push to B serving the new tip (B's served ref, read
# from its bare repository every 10 ms, so the watching costs B nothing), and B's CPU (the server and its waited-for
# children: git, the hook) per synced commit over the whole run.
# Usage: bench/mirror-bench.sh BIN_DIR   (BIN_DIR holds dehub and dehub-host; release builds for figures)
# Environment: BENCH_PUSHES (20), BENCH_POLL (mirror_poll_seconds of B, 1), BENCH_KEEP=1 keeps the files.
set -euo pipefail
BIN=$(cd "${1:?usage: bench/mirror-bench.sh BIN_DIR}" && pwd)
PUSHES=${BENCH_PUSHES:-20}
POLL=${BENCH_POLL:-1}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dehub-mirror-bench.XXXXXX")
export HOME="$WORK/home" GIT_CONFIG_GLOBAL="$WORK/home/.gitconfig" GIT_CONFIG_NOSYSTEM=1 LC_ALL=C
mkdir -p "$HOME"
git config --global user.name Bench; git config --global user.email bench@bench.example
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -z "${BENCH_KEEP:-}" ]; then rm -rf "$WORK"; else echo "bench: files kept in $WORK" >&2; fi
}
trap cleanup EXIT

ssh-keygen -q -t ed25519 -N '' -C alice -f "$WORK/alice"
SSH="ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o IdentitiesOnly=yes -o BatchMode=yes -i $WORK/alice"

# start NAME [CONFIG]: dehub-host on free ports; sets NAME_SSH, NAME_HTTP and NAME_PID.
start() {
  local name=$1 data="$WORK/$1"
  mkdir -p "$data"
  [ -n "${2:-}" ] && printf '%s\n' "$2" > "$data/host-config.yml"
  "$BIN/dehub-host" serve --data "$data" --ssh 127.0.0.1:0 --http 127.0.0.1:0 --hook "$BIN/dehub" \
    --admin-key "$WORK/alice.pub" --log-level error > "$data/out" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  for _ in $(seq 600); do grep -q '^ready$' "$data/out" 2>/dev/null && break; sleep 0.05; done
  grep -q '^ready$' "$data/out" || { cat "$data/out" >&2; exit 1; }
  printf -v "${name}_SSH" '%s' "$(sed -n 's/^ssh listening on .*:\([0-9]*\)$/\1/p' "$data/out")"
  printf -v "${name}_HTTP" '%s' "$(sed -n 's/^http listening on .*:\([0-9]*\)$/\1/p' "$data/out")"
  printf -v "${name}_PID" '%s' "$pid"
}

start A
start B "mirror_poll_seconds: $POLL"
export GIT_SSH_COMMAND="$SSH -p $A_SSH"

# A project that alice alone governs: main takes change commits signed by alice.
"$BIN/dehub" init "$WORK/work" >/dev/null
cd "$WORK/work"
mkdir -p .dehub
cat > .dehub/config.yml <<YAML
bind_credentials: true
accounts:
- id: alice
  signifiers:
  - type: ssh_public_key
    body: '$(cat "$WORK/alice.pub")'
access_controls:
- action: allow
  filters:
  - {type: branch, pattern: main}
  - {type: payload_type, payload_type: change}
  - {type: signature, account_ids: [alice], count: 1}
YAML
git add .dehub
"$BIN/dehub" commit --as alice --sign-key "$WORK/alice" change --descr "Initial config" >/dev/null
ROOT=$(git rev-parse HEAD)
$SSH -p "$A_SSH" git@127.0.0.1 repo create demo >/dev/null
git push -q "ssh://git@127.0.0.1:$A_SSH/demo.git" main
$SSH -p "$B_SSH" git@127.0.0.1 mirror add demo --from "http://127.0.0.1:$A_HTTP/demo.git" --root "$ROOT" >/dev/null

cpu() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$B_PID/stat"; }
TICKS=$(getconf CLK_TCK)
CPU_START=$(cpu)
LAT="$WORK/latencies"
: > "$LAT"
for i in $(seq "$PUSHES"); do
  echo "$i" > "file$i.txt"; git add "file$i.txt"
  "$BIN/dehub" commit --as alice --sign-key "$WORK/alice" change --descr "Change $i" >/dev/null
  tip=$(git rev-parse HEAD)
  git push -q "ssh://git@127.0.0.1:$A_SSH/demo.git" main 2>/dev/null
  pushed=$(date +%s%N)
  until [ "$(git --git-dir "$WORK/B/repos/demo.git" rev-parse -q --verify refs/heads/main)" = "$tip" ]; do
    sleep 0.01
    [ $(( ($(date +%s%N) - pushed) / 1000000 )) -lt 60000 ] || { echo "B did not serve $tip within 60 s" >&2; exit 1; }
  done
  echo $(( ($(date +%s%N) - pushed) / 1000000 )) >> "$LAT"
done
CPU_END=$(cpu)
sort -n "$LAT" > "$LAT.sorted"
median=$(awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }' "$LAT.sorted")
worst=$(tail -1 "$LAT.sorted")
cpu_ms=$(( (CPU_END - CPU_START) * 1000 / TICKS ))
echo "pushes: $PUSHES (one signed commit each), B's mirror_poll_seconds: $POLL"
echo "push on A accepted -> new tip served by B: median ${median} ms, worst ${worst} ms (all: $(tr '\n' ' ' < "$LAT"))"
echo "B's CPU (server + children) over the run: ${cpu_ms} ms, $(( cpu_ms / PUSHES )) ms per synced commit"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
