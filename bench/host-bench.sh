#!/usr/bin/env bash
# Times dehub-host against plain git serving the same bare repository, in the same run (issue 4, part 8):
#   - `git clone` of a repo of incompressible blobs (56 MiB packed) through the host over SSH and over HTTP,
#     against `git daemon` (git://) and `git http-backend` behind lighttpd (mod_cgi), with a file:// clone as the floor;
#   - `git ls-remote` latency through the host (SSH, HTTP) against file:// (and the two plain servers);
#   - 64 clones at once (half over SSH, half over HTTP): failures, wall time, the host's peak RSS.
# All servers listen on 127.0.0.1 only; every process the script starts is stopped on exit.
# Writes BENCHMARKS.md (section host-bench).
# Usage: bench/host-bench.sh BIN_DIR   (BIN_DIR holds release builds of dehub, dehub-host and dehub-bench)
# Environment: BENCH_REPO_MIB (56), BENCH_RUNS (5), BENCH_WARMUP (1), BENCH_LS_RUNS (30), BENCH_CONCURRENT (64),
#              BENCH_CONCURRENT_MIB (the size of the repo the concurrent clones fetch: the big repo unless the
#              clones would not fit in the free space), BENCH_KEEP=1.
BIN=$(cd "${1:?usage: bench/host-bench.sh BIN_DIR}" && pwd)
REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$REPO_ROOT/bench/lib.sh"

HOST_BIN="$BIN/dehub-host"
[ -x "$HOST_BIN" ] || die "$HOST_BIN not found; run: swift build -c release --product dehub-host"
source "$REPO_ROOT/bench/host-bench-servers.sh"

REPO_MIB=${BENCH_REPO_MIB:-56}
LS_RUNS=${BENCH_LS_RUNS:-30}
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

# timed NAME PID COMMAND [PREPARE]: measure (hyperfine) plus the CPU time the server PID and the children it reaped
# spent meanwhile, per run (warm-up runs included in the count); PID - for no server (file://).
timed() {
  local name=$1 pid=$2 command=$3 prepare=${4:-} before after runs=$((WARMUP + RUNS))
  if [ "$pid" = - ]; then
    measure "$CSV" "$name" "$prepare" "$command"
    echo "$name,nan,nan" >> "$SERVER_CSV"
    return
  fi
  before=$(server_cpu "$pid")
  measure "$CSV" "$name" "$prepare" "$command"
  after=$(server_cpu "$pid")
  awk -v n="$name" -v b="$before" -v a="$after" -v r="$runs" -v hz="$CLK_TCK" 'BEGIN {
    split(b, x, " "); split(a, y, " ")
    printf "%s,%.6f,%.6f\n", n, (y[1] - x[1]) / hz / r, (y[2] - x[2]) / hz / r }' >> "$SERVER_CSV"
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
start_git_daemon
start_lighttpd
HOST_SSH="ssh://git@127.0.0.1:$HOST_SSH_PORT"
HOST_HTTP="http://127.0.0.1:$HOST_HTTP_PORT"
DAEMON="git://127.0.0.1:$DAEMON_PORT"
BACKEND="http://127.0.0.1:$LIGHTTPD_PORT/git"
FLOOR="file://$DATA/repos"
for url in "$FLOOR" "$DAEMON" "$BACKEND" "$HOST_SSH" "$HOST_HTTP"; do
  got=$(git ls-remote "$url/big.git" refs/heads/main | cut -f1)
  [ "$got" = "$MAIN" ] || die "ls-remote $url/big.git: expected main at $MAIN, got '$got'"
done

say "timing clones of big.git ($PACK_MIB MiB packed)"
CLONE_CMD="git clone -q --no-checkout"
PREP="rm -rf '$CLONE'"
timed clone-file - "$CLONE_CMD '$FLOOR/big.git' '$CLONE'" "$PREP"
timed clone-daemon "$DAEMON_PID" "$CLONE_CMD '$DAEMON/big.git' '$CLONE'" "$PREP"
timed clone-host-ssh "$HOST_PID" "$CLONE_CMD '$HOST_SSH/big.git' '$CLONE'" "$PREP"
timed clone-backend "$LIGHTTPD_PID" "$CLONE_CMD '$BACKEND/big.git' '$CLONE'" "$PREP"
timed clone-host-http "$HOST_PID" "$CLONE_CMD '$HOST_HTTP/big.git' '$CLONE'" "$PREP"
[ "$(git -C "$CLONE" rev-parse main)" = "$MAIN" ] || die "the last clone does not hold main"
rm -rf "$CLONE"

say "timing git ls-remote"
export BENCH_NO_SHELL=1
RUNS=$LS_RUNS WARMUP=3 timed ls-file - "git ls-remote $FLOOR/big.git"
RUNS=$LS_RUNS WARMUP=3 timed ls-daemon "$DAEMON_PID" "git ls-remote $DAEMON/big.git"
RUNS=$LS_RUNS WARMUP=3 timed ls-host-ssh "$HOST_PID" "git ls-remote $HOST_SSH/big.git"
RUNS=$LS_RUNS WARMUP=3 timed ls-backend "$LIGHTTPD_PID" "git ls-remote $BACKEND/big.git"
RUNS=$LS_RUNS WARMUP=3 timed ls-host-http "$HOST_PID" "git ls-remote $HOST_HTTP/big.git"
# What an SSH session costs without git: the host's `whoami` admin command.
RUNS=$LS_RUNS WARMUP=3 timed ssh-whoami "$HOST_PID" "$SSH_CLIENT -p $HOST_SSH_PORT git@127.0.0.1 whoami"
unset BENCH_NO_SHELL
HWM_SEQUENTIAL=$(proc_status_kib "$HOST_PID" VmHWM)
stop_host

say "$CONCURRENT clones of $CONC_REPO.git at once"
CONC_HOST="$WORK/conc-host.txt" CONC_PLAIN="$WORK/conc-plain.txt" CONC_WIDE="$WORK/conc-wide.txt"
start_host concurrent
concurrent "$HOST_SSH_URL_BASE/$CONC_REPO.git" "http://127.0.0.1:$HOST_HTTP_PORT/$CONC_REPO.git" "$HOST_PID" "$CONC_MAIN" > "$CONC_HOST"
stop_host
concurrent "$DAEMON/$CONC_REPO.git" "$BACKEND/$CONC_REPO.git" "$LIGHTTPD_PID $DAEMON_PID" "$CONC_MAIN" > "$CONC_PLAIN"
set_host_config max_git_processes "$CONCURRENT"
start_host wide
concurrent "$HOST_SSH_URL_BASE/$CONC_REPO.git" "http://127.0.0.1:$HOST_HTTP_PORT/$CONC_REPO.git" "$HOST_PID" "$CONC_MAIN" > "$CONC_WIDE"
stop_host
set_host_config max_git_processes 32

source "$REPO_ROOT/bench/host-bench-report.sh"
