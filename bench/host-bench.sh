#!/usr/bin/env bash
# Times dehub-host against plain git serving the same bare repository, in the same run (issue 4, part 8):
#   - `git clone` of a repo of incompressible blobs (56 MiB packed) through the host over SSH and over HTTP,
#     against `git daemon` (git://) and `git http-backend` behind lighttpd (mod_cgi), with a file:// clone as the floor
#     (and OpenSSH's sshd running git-upload-pack, when sshd is installed: the script does not install it);
#   - `git ls-remote` latency through the host (SSH, HTTP) against file:// (and the two plain servers);
#   - 64 clones at once (half over SSH, half over HTTP): failures, wall time, the host's peak RSS.
# All servers listen on 127.0.0.1 only; every process the script starts is stopped on exit.
# Writes BENCHMARKS.md (section host-bench).
# Usage: bench/host-bench.sh BIN_DIR   (BIN_DIR holds release builds of dehub, dehub-host and dehub-bench)
# Environment: BENCH_REPO_MIB (56), BENCH_RUNS (5), BENCH_WARMUP (1), BENCH_LS_RUNS (30), BENCH_CONCURRENT (64),
#              BENCH_CONCURRENT_MIB (the size of the repo the concurrent clones fetch: the big repo unless the
#              clones would not fit in the free space; 0 skips the concurrent runs), BENCH_SSHD=0 (skip sshd),
#              BENCH_KEEP=1, BENCH_BEFORE_BIN (a directory with an older release dehub-host: it serves a copy of the
#              data beside the current host, and its clones and ls-remotes take turns with the others in the same
#              rounds, for a before/after table from one run).
BIN=$(cd "${1:?usage: bench/host-bench.sh BIN_DIR}" && pwd)
REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$REPO_ROOT/bench/lib.sh"

HOST_BIN="$BIN/dehub-host"
[ -x "$HOST_BIN" ] || die "$HOST_BIN not found; run: swift build -c release --product dehub-host"
BEFORE_HOST=""
if [ -n "${BENCH_BEFORE_BIN:-}" ]; then
  BEFORE_HOST=$(cd "$BENCH_BEFORE_BIN" && pwd)/dehub-host
  [ -x "$BEFORE_HOST" ] || die "BENCH_BEFORE_BIN: no dehub-host in $BENCH_BEFORE_BIN"
fi
source "$REPO_ROOT/bench/host-bench-servers.sh"

REPO_MIB=${BENCH_REPO_MIB:-56}
LS_RUNS=${BENCH_LS_RUNS:-30}
LS_ROUNDS=5
CONCURRENT=${BENCH_CONCURRENT:-64}
CSV="$WORK/results.csv"      # name,median_s,mean_s,stddev_s,client_cpu_s (lib.sh's measure)
SERVER_CSV="$WORK/server.csv" # name,server_own_cpu_s,server_children_cpu_s per timed command
: > "$CSV"; : > "$SERVER_CSV"
DATA="$WORK/data"
CLONE="$WORK/clone"

# make_repo DIR MIB: a history of 4 commits that add MIB files of 1 MiB of random bytes in all (incompressible).
make_repo() {
  local dir=$1 mib=$2 per i f
  per=$(( (mib + 3) / 4 ))
  git init -q "$dir"
  for ((i = 0; i < 4; i++)); do
    mkdir -p "$dir/blobs-$i"
    for ((f = 0; f < per && i * per + f < mib; f++)); do
      head -c 1048576 /dev/urandom > "$dir/blobs-$i/$f.bin"
    done
    echo "commit $i" > "$dir/README"
    git -C "$dir" add -A
    git -C "$dir" commit -qm "Add $per MiB of random blobs ($i)"
  done
}

# serve_repo NAME SRC: creates NAME on the host offline and seeds main (a fetch into the bare repo runs no hook),
# then packs it as a server would (one pack, bitmap).
serve_repo() {
  "$HOST_BIN" repo create "$1" --data "$DATA" --hook "$DEHUB" >/dev/null
  git --git-dir "$DATA/repos/$1.git" fetch -q "$2" main:main
  git --git-dir "$DATA/repos/$1.git" repack -adq --write-bitmap-index
}

# interleaved ROUNDS RUNS WARMUP PREPARE NAME=PID=COMMAND...: times each COMMAND with hyperfine, RUNS runs at a time,
# the commands taking turns for ROUNDS rounds (so that load from other processes on this shared machine spreads
# over all of them), WARMUP warm-up runs in the first round. Appends lib.sh's row (name,median,mean,stddev,cpu)
# to CSV, and to SERVER_CSV the CPU time the server PID and the children it reaped spent per run (warm-ups counted);
# PID - for no server (file://). PREPARE runs before every run ('' for none). COMMAND runs without a shell.
interleaved() {
  local rounds=$1 runs=$2 warmup=$3 prepare=$4; shift 4
  local spec name pid command r w before after prep=() json="$WORK/hf.json"
  [ -n "$prepare" ] && prep=(--prepare "$prepare")
  for spec in "$@"; do name=${spec%%=*}; : > "$WORK/times-$name"; : > "$WORK/cpu-$name"; : > "$WORK/srv-$name"; done
  for ((r = 0; r < rounds; r++)); do
    w=0; [ "$r" = 0 ] && w=$warmup
    for spec in "$@"; do
      name=${spec%%=*}; pid=${spec#*=}; command=${pid#*=}; pid=${pid%%=*}
      [ "$pid" = - ] || before=$(server_cpu "$pid")
      hyperfine -N --style none --warmup "$w" --runs "$runs" "${prep[@]}" --export-json "$json" -n "$name" "$command" >/dev/null
      [ "$pid" = - ] || { after=$(server_cpu "$pid"); echo "$before $after $((runs + w))" >> "$WORK/srv-$name"; }
      awk '/"times": \[/ { t = 1; next } t && /\]/ { t = 0 } t { gsub(/[ ,]/, ""); print }' "$json" >> "$WORK/times-$name"
      awk -F': ' '/"user":/ { u = $2 + 0 } /"system":/ { s = $2 + 0 } END { print u + s }' "$json" >> "$WORK/cpu-$name"
    done
  done
  for spec in "$@"; do
    name=${spec%%=*}
    sort -g "$WORK/times-$name" | awk -v name="$name" -v cpu="$(awk '{ s += $1 } END { print s / NR }' "$WORK/cpu-$name")" '
      { t[NR] = $1; sum += $1; sq += $1 * $1 }
      END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; mean = sum / NR
            sd = NR > 1 ? sqrt((sq - NR * mean * mean) / (NR - 1)) : 0
            printf "%s,%.6f,%.6f,%.6f,%.6f\n", name, m, mean, sd, cpu }' >> "$CSV"
    if [ -s "$WORK/srv-$name" ]; then
      awk -v name="$name" -v hz="$CLK_TCK" '{ own += $3 - $1; kids += $4 - $2; n += $5 }
        END { printf "%s,%.6f,%.6f\n", name, own / hz / n, kids / hz / n }' "$WORK/srv-$name" >> "$SERVER_CSV"
    else
      echo "$name,nan,nan" >> "$SERVER_CSV"
    fi
    echo "$name: $(grep "^$name," "$CSV")" >&2
  done
}

say "making a repo of $REPO_MIB MiB of random blobs"
make_repo "$WORK/src" "$REPO_MIB"
serve_repo big "$WORK/src"
MAIN=$(git -C "$WORK/src" rev-parse main)
PACK_MIB=$(du -sm "$DATA/repos/big.git/objects/pack" | cut -f1)
[ "$PACK_MIB" -ge 50 ] || [ -n "${BENCH_REPO_MIB:-}" ] || die "the served pack is only $PACK_MIB MiB"

# The concurrent clones fetch the big repo when they fit in the free space (with a margin), else a smaller one.
FREE_MIB=$(df -Pm "$WORK" | awk 'NR == 2 { print $4 }')
CONC_MIB=${BENCH_CONCURRENT_MIB:-}
if [ -z "$CONC_MIB" ]; then
  if [ $(( CONCURRENT * REPO_MIB * 2 )) -lt "$FREE_MIB" ]; then CONC_MIB=$REPO_MIB; else CONC_MIB=16; fi
fi
if [ "$CONC_MIB" = "$REPO_MIB" ]; then
  CONC_REPO=big
else
  make_repo "$WORK/src-small" "$CONC_MIB"
  serve_repo small "$WORK/src-small"
  CONC_REPO=small
fi
CONC_MAIN=$(git --git-dir "$DATA/repos/$CONC_REPO.git" rev-parse main)

say "starting the servers"
make_client_key
start_host first
HWM_FIRST_START=$(proc_status_kib "$HOST_PID" VmHWM)
[ -z "$BEFORE_HOST" ] || start_before_host
start_git_daemon
start_lighttpd
start_sshd
HOST_SSH="ssh://git@127.0.0.1:$HOST_SSH_PORT"
HOST_HTTP="http://127.0.0.1:$HOST_HTTP_PORT"
DAEMON="git://127.0.0.1:$DAEMON_PORT"
BACKEND="http://127.0.0.1:$LIGHTTPD_PORT/git"
FLOOR="file://$DATA/repos"
URLS=("$FLOOR" "$DAEMON" "$BACKEND" "$HOST_SSH" "$HOST_HTTP")
[ -n "$SSHD_PID" ] && URLS+=("$SSHD")
[ -n "$BEFORE_PID" ] && URLS+=("$BEFORE_SSH" "$BEFORE_HTTP")
for url in "${URLS[@]}"; do
  got=$(git ls-remote "$url/big.git" refs/heads/main | cut -f1)
  [ "$got" = "$MAIN" ] || die "ls-remote $url/big.git: expected main at $MAIN, got '$got'"
done

say "timing clones of big.git ($PACK_MIB MiB packed)"
CLONE_CMD="git clone -q --no-checkout"
CLONES=(
  "clone-file=-=$CLONE_CMD $FLOOR/big.git $CLONE"
  "clone-daemon=$DAEMON_PID=$CLONE_CMD $DAEMON/big.git $CLONE"
  "clone-host-ssh=$HOST_PID=$CLONE_CMD $HOST_SSH/big.git $CLONE"
  "clone-backend=$LIGHTTPD_PID=$CLONE_CMD $BACKEND/big.git $CLONE"
  "clone-host-http=$HOST_PID=$CLONE_CMD $HOST_HTTP/big.git $CLONE"
)
[ -n "$SSHD_PID" ] && CLONES+=("clone-sshd=$SSHD_PID=$CLONE_CMD $SSHD/big.git $CLONE")
[ -n "$BEFORE_PID" ] && CLONES+=("clone-before-ssh=$BEFORE_PID=$CLONE_CMD $BEFORE_SSH/big.git $CLONE"
  "clone-before-http=$BEFORE_PID=$CLONE_CMD $BEFORE_HTTP/big.git $CLONE")
interleaved "$RUNS" 1 "$WARMUP" "rm -rf '$CLONE'" "${CLONES[@]}"
[ "$(git -C "$CLONE" rev-parse main)" = "$MAIN" ] || die "the last clone does not hold main"
rm -rf "$CLONE"

say "timing git ls-remote"
LS=(
  "ls-file=-=git ls-remote $FLOOR/big.git"
  "ls-daemon=$DAEMON_PID=git ls-remote $DAEMON/big.git"
  "ls-host-ssh=$HOST_PID=git ls-remote $HOST_SSH/big.git"
  "ls-backend=$LIGHTTPD_PID=git ls-remote $BACKEND/big.git"
  "ls-host-http=$HOST_PID=git ls-remote $HOST_HTTP/big.git"
  # What an SSH session costs without git: the host's `whoami` admin command (and `true` through sshd).
  "ssh-whoami=$HOST_PID=$SSH_CLIENT -p $HOST_SSH_PORT git@127.0.0.1 whoami"
)
[ -n "$SSHD_PID" ] && LS+=("ls-sshd=$SSHD_PID=git ls-remote $SSHD/big.git" "ssh-sshd=$SSHD_PID=$SSH_CLIENT -p $SSHD_PORT $SSHD_USER@127.0.0.1 true")
[ -n "$BEFORE_PID" ] && LS+=("ls-before-ssh=$BEFORE_PID=git ls-remote $BEFORE_SSH/big.git"
  "ls-before-http=$BEFORE_PID=git ls-remote $BEFORE_HTTP/big.git")
interleaved "$LS_ROUNDS" $(( (LS_RUNS + LS_ROUNDS - 1) / LS_ROUNDS )) 3 "" "${LS[@]}"
HWM_SEQUENTIAL=$(proc_status_kib "$HOST_PID" VmHWM)
stop_host
stop_before_host

if [ "$CONCURRENT" -gt 0 ]; then
say "$CONCURRENT clones of $CONC_REPO.git at once"
CONC_HOST="$WORK/conc-host.txt" CONC_PLAIN="$WORK/conc-plain.txt" CONC_WIDE="$WORK/conc-wide.txt"
CONC_MALLOC="$WORK/conc-malloc.txt"
start_host concurrent
concurrent "$HOST_SSH_URL_BASE/$CONC_REPO.git" "http://127.0.0.1:$HOST_HTTP_PORT/$CONC_REPO.git" "$HOST_PID" "$CONC_MAIN" > "$CONC_HOST"
stop_host
concurrent "$DAEMON/$CONC_REPO.git" "$BACKEND/$CONC_REPO.git" "$LIGHTTPD_PID $DAEMON_PID" "$CONC_MAIN" > "$CONC_PLAIN"
set_host_config max_git_processes "$CONCURRENT"
start_host wide
concurrent "$HOST_SSH_URL_BASE/$CONC_REPO.git" "http://127.0.0.1:$HOST_HTTP_PORT/$CONC_REPO.git" "$HOST_PID" "$CONC_MAIN" > "$CONC_WIDE"
stop_host
# Diagnostic: the same with glibc serving allocations of 32 KiB and more by mmap, so that freed 64 KiB pipe buffers
# go back to the system at once: how much of the peak is memory glibc keeps, not memory the host holds.
HOST_ENV="MALLOC_MMAP_THRESHOLD_=32768" start_host malloc
concurrent "$HOST_SSH_URL_BASE/$CONC_REPO.git" "http://127.0.0.1:$HOST_HTTP_PORT/$CONC_REPO.git" "$HOST_PID" "$CONC_MAIN" > "$CONC_MALLOC"
stop_host
set_host_config max_git_processes 32
fi

source "$REPO_ROOT/bench/host-bench-report.sh"
