#!/usr/bin/env bash
# The embedded SSH server, one transport against another (issue 17): handshake (log in, run `whoami`, log out),
# `git ls-remote` latency, clone throughput of a 48 MiB repository, and the host's memory with 64 open sessions
# (64 `git-upload-pack` sessions waiting for their wants), and the server process's own CPU time per clone (not git's:
# the steadier figure on a loaded machine). OpenSSH's sshd is a third column when it is installed.
#   bash bench/ssh-bench.sh LABEL=PATH/TO/dehub-host [LABEL=PATH/TO/dehub-host ...]
# Environment: DEHUB (the dehub binary the host installs as its hook; default: next to the first dehub-host),
#   BENCH_RUNS (20), BENCH_SESSIONS (64), BENCH_KEEP=1 keeps the files. Prints a Markdown table on stdout.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bench/ssh-bench.sh LABEL=PATH/TO/dehub-host ..." >&2; exit 64; }
RUNS=${BENCH_RUNS:-20}
SESSIONS=${BENCH_SESSIONS:-64}
FIRST=${1#*=}
DEHUB=${DEHUB:-$(dirname "$FIRST")/dehub}
[ -x "$DEHUB" ] || { echo "bench: $DEHUB not found (set DEHUB)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed" >&2; exit 1; }
BASE=/tmp; [ -d /dev/shm ] && [ -w /dev/shm ] && BASE=/dev/shm
WORK=$(mktemp -d "$BASE/dehub-ssh-bench.XXXXXX")
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "${BENCH_KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
export HOME="$WORK/home" GIT_CONFIG_GLOBAL="$WORK/home/.gitconfig" GIT_CONFIG_NOSYSTEM=1 LC_ALL=C
mkdir -p "$HOME"
git config --global user.name Bench; git config --global user.email bench@bench.example
git config --global init.defaultBranch main
say() { printf '== %s\n' "$*" >&2; }
wait_until() { local tries=$(( $1 * 10 )); shift; while (( tries-- > 0 )); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
# own_cpu_ms PID: the process's own CPU time (user + system, not its children's) in ms.
own_cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }
rss_kib() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"; }
threads() { awk '$1 == "Threads:" { print $2 }' "/proc/$1/status"; }

mkdir -p "$WORK/keys"; chmod 700 "$WORK/keys"
ssh-keygen -q -t ed25519 -N '' -C bench -f "$WORK/keys/admin"
SSH="ssh -F /dev/null -i $WORK/keys/admin -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no"
SSH+=" -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
export GIT_SSH_COMMAND="$SSH"

# The content: 48 MiB of incompressible data in 3 commits (so the clone measures the transport, not zlib).
SRC="$WORK/src"
git init -q "$SRC"
for i in 1 2 3; do head -c $(( 16 << 20 )) /dev/urandom > "$SRC/blob$i"; git -C "$SRC" add "blob$i"; git -C "$SRC" commit -qm "blob $i"; done
MAIN=$(git -C "$SRC" rev-parse main)

# run_host LABEL BINARY: measures one dehub-host; prints "label|handshake|ls-remote|clone s|MiB/s|rss idle|rss 64|per session".
run_host() {
  local label=$1 bin=$2
  local data="$WORK/data-$label" out="$WORK/host-$label.out" port pid
  # Room for every session to run its git at once (one identity: the bench key).
  mkdir -p "$data"
  local room=$((SESSIONS + 8))
  printf '%s: %d\n' max_git_processes $room max_git_processes_per_identity $room max_connections_per_address $room \
    max_unauthenticated_per_address $room > "$data/host-config.yml"
  "$bin" serve --data "$data" --ssh 127.0.0.1:0 --hook "$DEHUB" --admin-key "$WORK/keys/admin.pub" \
    > "$out" 2> "$WORK/host-$label.log" &
  pid=$!; PIDS+=("$pid")
  wait_until 30 grep -qx ready "$out" || { cat "$out" "$WORK/host-$label.log" >&2; exit 1; }
  port=$(awk '/^ssh listening on / { n = split($4, a, ":"); print a[n] }' "$out")
  $SSH -p "$port" git@127.0.0.1 repo create big >/dev/null
  git -C "$data/repos/big.git" fetch -q "$SRC" main:main
  bench_target "$label" "ssh://git@127.0.0.1:$port/big.git" "$SSH -p $port git@127.0.0.1 whoami" "$pid" \
    "$SSH -p $port git@127.0.0.1 git-upload-pack big.git"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
}

# bench_target LABEL URL HANDSHAKE_COMMAND PID SESSION_COMMAND
bench_target() {
  local label=$1 url=$2 handshake=$3 pid=$4 session=$5 i
  local csv="$WORK/${label// /-}.csv"
  say "$label: handshake"
  hyperfine -N --style basic --warmup 2 --runs "$RUNS" --export-csv "$csv.h" "$handshake" >&2
  say "$label: ls-remote"
  hyperfine -N --style basic --warmup 2 --runs "$RUNS" --export-csv "$csv.l" "git ls-remote $url" >&2
  say "$label: clone"
  local cpu_before; cpu_before=$(own_cpu_ms "$pid")
  hyperfine --style basic --warmup 1 --runs 5 --prepare "rm -rf $WORK/clone" --export-csv "$csv.c" \
    "git clone -q --no-checkout $url $WORK/clone" >&2
  local clone_cpu=$(( ($(own_cpu_ms "$pid") - cpu_before) / 6 ))  # 1 warmup + 5 runs
  [ "$(git -C "$WORK/clone" rev-parse main)" = "$MAIN" ] || { echo "bench: $label cloned the wrong main" >&2; exit 1; }
  say "$label: $SESSIONS open sessions"
  local before after clients=() fifo="$WORK/hold-$label"
  before=$(rss_kib "$pid")
  mkfifo "$fifo"
  sleep 1000 > "$fifo" & PIDS+=($!)
  for ((i = 0; i < SESSIONS; i++)); do
    $session < "$fifo" > "$WORK/s$i.out" 2>&1 & clients+=($!); PIDS+=($!)
  done
  local deadline=$(( $(date +%s) + 60 ))
  while (( $(date +%s) < deadline )); do
    local n=0
    for ((i = 0; i < SESSIONS; i++)); do grep -q "refs/heads/main" "$WORK/s$i.out" 2>/dev/null && n=$((n + 1)); done
    (( n == SESSIONS )) && break
    sleep 0.2
  done
  sleep 1
  after=$(rss_kib "$pid")
  local open=0
  for ((i = 0; i < SESSIONS; i++)); do grep -q "refs/heads/main" "$WORK/s$i.out" 2>/dev/null && open=$((open + 1)); done
  local host_threads; host_threads=$(threads "$pid")
  for c in "${clients[@]}"; do kill "$c" 2>/dev/null || true; done
  for c in "${clients[@]}"; do wait "$c" 2>/dev/null || true; done
  rm -f "$fifo"
  awk -F, -v label="$label" -v before="$before" -v after="$after" -v open="$open" -v th="$host_threads" -v cpu="$clone_cpu" \
    -v h="$(awk -F, 'NR == 2 { print $4 }' "$csv.h")" -v l="$(awk -F, 'NR == 2 { print $4 }' "$csv.l")" \
    'NR == 2 { printf "| %s | %.1f ms | %.1f ms | %.2f s (%.0f MiB/s) | %d ms | %.1f MiB → %.1f MiB (%d open, %d threads): %.0f KiB per session |\n",
      label, h * 1000, l * 1000, $4, 48 / $4, cpu, before / 1024, after / 1024, open, th, (after - before) / (open ? open : 1) }' "$csv.c"
}

# OpenSSH's sshd running git-upload-pack directly (as plain git over SSH is served), when it is installed.
run_sshd() {
  local sshd; sshd=$(command -v sshd || echo /usr/sbin/sshd)
  [ -x "$sshd" ] || { say "no sshd installed (Debian: openssh-server): no OpenSSH column"; return 0; }
  local port=$(( 20000 + RANDOM % 40000 )) user; user=$(id -un)
  mkdir -p "$WORK/sshd"; ssh-keygen -q -t ed25519 -N '' -f "$WORK/sshd/host_key"
  cp "$WORK/keys/admin.pub" "$WORK/sshd/authorized_keys"
  mkdir -p "$WORK/sshd/repos"; git clone -q --bare "$SRC" "$WORK/sshd/repos/big.git"
  cat > "$WORK/sshd/config" <<CONF
ListenAddress 127.0.0.1
Port $port
HostKey $WORK/sshd/host_key
PidFile $WORK/sshd/pid
AuthorizedKeysFile $WORK/sshd/authorized_keys
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PrintMotd no
CONF
  if [ "$(id -u)" = 0 ] && [ ! -d /run/sshd ]; then mkdir -m 755 /run/sshd; fi
  "$sshd" -D -e -f "$WORK/sshd/config" 2> "$WORK/sshd/log" & local pid=$!; PIDS+=("$pid")
  local url="ssh://$user@127.0.0.1:$port$WORK/sshd/repos/big.git"
  wait_until 10 git ls-remote "$url" || { cat "$WORK/sshd/log" >&2; say "sshd did not answer: skipped"; return 0; }
  bench_target "OpenSSH sshd" "$url" "$SSH -p $port $user@127.0.0.1 true" "$pid" \
    "$SSH -p $port $user@127.0.0.1 git-upload-pack $WORK/sshd/repos/big.git"
}

echo "| server | handshake (whoami) | ls-remote | clone 48 MiB | server's own CPU per clone | host memory, idle → $SESSIONS sessions |"
echo "|---|---|---|---|---|---|"
for arg in "$@"; do run_host "${arg%%=*}" "${arg#*=}"; done
run_sshd
echo
echo "$(nproc) cores, $(uname -sr), $(git --version), $(ssh -V 2>&1 | cut -d, -f1); load $(cut -d' ' -f1-3 /proc/loadavg) at the end; medians of $RUNS runs (clone: 5), hyperfine."
