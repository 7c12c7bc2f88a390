#!/usr/bin/env bash
# Where dehub-host's own CPU goes while it serves a clone (issue 11): one host on a repo of incompressible blobs,
# cloned over HTTP and over SSH while `perf record -g` samples the host's pid (its threads only, not git's), then
# again under `strace -c -f` for the syscall counts, and `strace -e write,writev,sendmsg,read` for the sizes.
# Prints, per transport: the host's CPU per clone, perf's top symbols (self and children), the syscall table and
# a histogram of the write sizes to the client.
# Usage: bash bench/host-bench-profile.sh BIN_DIR   (release dehub, dehub-host, dehub-bench)
# Environment: BENCH_REPO_MIB (56), BENCH_PROFILE_CLONES (3), BENCH_KEEP=1 (keeps perf.data and the traces).
BIN=$(cd "${1:?usage: bench/host-bench-profile.sh BIN_DIR}" && pwd)
REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$REPO_ROOT/bench/lib.sh"
HOST_BIN="$BIN/dehub-host"
[ -x "$HOST_BIN" ] || die "$HOST_BIN not found"
source "$REPO_ROOT/bench/host-bench-servers.sh"
command -v perf >/dev/null || die "perf is needed"
command -v strace >/dev/null || die "strace is needed"
REPO_MIB=${BENCH_REPO_MIB:-56}
CLONES=${BENCH_PROFILE_CLONES:-3}
DATA="$WORK/data"
CLONE="$WORK/clone"

src="$WORK/src"
git init -q "$src"
for ((i = 0; i < REPO_MIB; i++)); do head -c 1048576 /dev/urandom > "$src/$i.bin"; done
git -C "$src" add -A && git -C "$src" commit -qm blobs
make_client_key
start_host first
"$HOST_BIN" repo create big --data "$DATA" --hook "$DEHUB" >/dev/null
git --git-dir "$DATA/repos/big.git" fetch -q "$src" main:main
git --git-dir "$DATA/repos/big.git" repack -adq --write-bitmap-index
PACK_MIB=$(du -sm "$DATA/repos/big.git/objects/pack" | cut -f1)

declare -A URL=([http]="http://127.0.0.1:$HOST_HTTP_PORT/big.git" [ssh]="ssh://git@127.0.0.1:$HOST_SSH_PORT/big.git")
clone() { rm -rf "$CLONE"; git clone -q --no-checkout "$1" "$CLONE"; }
for t in http ssh; do clone "${URL[$t]}"; done  # warm-up

for t in http ssh; do
  say "$t: CPU of the host per clone ($CLONES clones)"
  before=$(server_cpu "$HOST_PID")
  for ((i = 0; i < CLONES; i++)); do clone "${URL[$t]}"; done
  after=$(server_cpu "$HOST_PID")
  awk -v b="${before%% *}" -v a="${after%% *}" -v n="$CLONES" -v hz="$CLK_TCK" -v m="$PACK_MIB" \
    'BEGIN { s = (a - b) / hz / n; printf "host own CPU: %.3f s per clone, %.2f ms per MiB of a %d MiB pack\n", s, s * 1000 / m, m }'

  say "$t: perf record -g, the host's own threads ($CLONES clones)"
  perf record -q -g -p "$HOST_PID" -o "$WORK/perf-$t.data" -- \
    bash -c "for ((i = 0; i < $CLONES; i++)); do rm -rf '$CLONE'; git clone -q --no-checkout '${URL[$t]}' '$CLONE'; done" 2>/dev/null
  perf report -i "$WORK/perf-$t.data" --pid "$HOST_PID" --no-children -g none --sort dso,symbol --stdio 2>/dev/null |
    grep -v '^#' | grep '%' | head -30 || true
  say "$t: the same, by shared object"
  perf report -i "$WORK/perf-$t.data" --pid "$HOST_PID" --no-children -g none --sort dso --stdio 2>/dev/null |
    grep -v '^#' | grep '%' | head -12 || true

  # strace follows git's processes too (-f): their lines are dropped (a pid that calls execve is a git).
  say "$t: the host's system calls during one clone: count, and bytes by size bucket for reads and writes"
  strace -f -qq -p "$HOST_PID" -o "$WORK/strace-$t.txt" & tracer=$!
  sleep 1; clone "${URL[$t]}"; sleep 0.3; kill -INT "$tracer"; wait "$tracer" 2>/dev/null || true
  awk '$2 ~ /^execve\(/ || ($2 == "<..." && $3 == "execve") { git[$1] = 1 } { line[NR] = $0; pid[NR] = $1 }
       END { for (i = 1; i <= NR; i++) { if (pid[i] in git) continue; split(line[i], f, " "); call = f[2]
               if (call == "<...") call = f[3]; else sub(/\(.*/, "", call)
               calls[call]++; n = f[length(f)]
               if (call ~ /^(read|write|writev|sendmsg|recvfrom|readv|splice)$/ && n ~ /^[0-9]+$/ && line[i] !~ /unfinished/) {
                 b = n < 1024 ? "<1K" : n < 16384 ? "1K-16K" : n < 65536 ? "16K-64K" : n < 262144 ? "64K-256K" : ">=256K"
                 sizes[call " " b]++; bytes[call] += n } }
             for (c in calls) printf "%8d %s\n", calls[c], c
             for (k in sizes) printf "         %s: %d calls\n", k, sizes[k]
             for (c in bytes) printf "         %s: %.1f MiB in all\n", c, bytes[c] / 1048576 }' "$WORK/strace-$t.txt" | sort -rn | head -40 || true
done
stop_host
