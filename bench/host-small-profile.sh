#!/usr/bin/env bash
# Where dehub-host's own CPU goes on small requests (issue 11: `git ls-remote` over HTTP and SSH): one host (and,
# with BENCH_BEFORE_BIN, an older one on a copy of the same data) serves a small repo; loops of `git ls-remote`
# take turns between the hosts, and each host's own CPU (user + system, from /proc/PID/stat, its git children
# left out) and the loop's wall time are divided by the number of requests. Then, per host and transport,
# `perf record --call-graph dwarf` on the host's pid during a loop, sorted into phases by bench/host-phases.py, and
# `strace -f -ff` during a shorter loop, counting the system calls of the host's own threads (git's processes,
# which exec, left out) per ls-remote.
# Usage: bash bench/host-small-profile.sh BIN_DIR   (release dehub, dehub-host, dehub-bench)
# Environment: BENCH_LS_LOOP (200 ls-remotes per loop), BENCH_LS_ROUNDS (3), BENCH_BEFORE_BIN, BENCH_KEEP=1.
BIN=$(cd "${1:?usage: bench/host-small-profile.sh BIN_DIR}" && pwd)
REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$REPO_ROOT/bench/lib.sh"
HOST_BIN="$BIN/dehub-host"
[ -x "$HOST_BIN" ] || die "$HOST_BIN not found"
BEFORE_HOST=""
if [ -n "${BENCH_BEFORE_BIN:-}" ]; then
  BEFORE_HOST=$(cd "$BENCH_BEFORE_BIN" && pwd)/dehub-host
  [ -x "$BEFORE_HOST" ] || die "BENCH_BEFORE_BIN: no dehub-host in $BENCH_BEFORE_BIN"
fi
source "$REPO_ROOT/bench/host-bench-servers.sh"
command -v perf >/dev/null || die "perf is needed"
command -v strace >/dev/null || die "strace is needed"
LOOP=${BENCH_LS_LOOP:-200}
ROUNDS=${BENCH_LS_ROUNDS:-3}
DATA="$WORK/data"

src="$WORK/src"
git init -q "$src"
for i in 1 2 3; do echo "$i" > "$src/f$i"; git -C "$src" add -A; git -C "$src" commit -qm "commit $i"; done
make_client_key
start_host first
"$HOST_BIN" repo create big --data "$DATA" --hook "$DEHUB" >/dev/null
git --git-dir "$DATA/repos/big.git" fetch -q "$src" main:main
declare -A URL PID
URL[after-http]="http://127.0.0.1:$HOST_HTTP_PORT/big.git" URL[after-ssh]="ssh://git@127.0.0.1:$HOST_SSH_PORT/big.git"
PID[after]=$HOST_PID
NAMES=(after)
if [ -n "$BEFORE_HOST" ]; then
  start_before_host
  URL[before-http]="$BEFORE_HTTP/big.git" URL[before-ssh]="$BEFORE_SSH/big.git"
  PID[before]=$BEFORE_PID
  NAMES=(before after)
fi

# loop N URL: N ls-remotes, one after the other.
loop() { local i; for ((i = 0; i < $1; i++)); do git ls-remote "$2" >/dev/null; done; }
for name in "${NAMES[@]}"; do for t in http ssh; do loop 3 "${URL[$name-$t]}"; done; done  # warm-up

say "host CPU and wall time per ls-remote ($ROUNDS rounds of $LOOP, the hosts taking turns)"
declare -A OWN WALL
for ((r = 0; r < ROUNDS; r++)); do
  for t in http ssh; do
    for name in "${NAMES[@]}"; do
      before=$(server_cpu "${PID[$name]}"); start=$(date +%s%N)
      loop "$LOOP" "${URL[$name-$t]}"
      end=$(date +%s%N); after=$(server_cpu "${PID[$name]}")
      OWN[$name-$t]+="$(( ${after% *} - ${before% *} )) "; WALL[$name-$t]+="$(( (end - start) / 1000 )) "
    done
  done
done
for t in http ssh; do
  for name in "${NAMES[@]}"; do
    echo "${OWN[$name-$t]}" "| ${WALL[$name-$t]}" | awk -v n="$LOOP" -v hz="$CLK_TCK" -v name="$name-$t" '{
      split($0, parts, "|"); k = split(parts[1], own, " "); split(parts[2], wall, " ")
      for (i = 1; i <= k; i++) { o += own[i]; w += wall[i] }
      printf "%-12s host own CPU %.2f ms per ls-remote, wall %.2f ms per ls-remote (%d runs)\n",
        name, o / hz * 1000 / (n * k), w / 1000 / (n * k), n * k }'
  done
done

for t in http ssh; do
  for name in "${NAMES[@]}"; do
    say "$name, $t: phases of the host's own samples (perf, $LOOP ls-remotes)"
    perf record -q -F 1000 --call-graph dwarf,32768 -p "${PID[$name]}" -o "$WORK/$name-$t.data" 2>/dev/null &
    perf_pid=$!
    sleep 0.5
    loop "$LOOP" "${URL[$name-$t]}"
    kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true
    perf script -i "$WORK/$name-$t.data" 2>/dev/null > "$WORK/$name-$t.txt"
    python3 "$REPO_ROOT/bench/host-phases.py" "$WORK/$name-$t.txt"
    rm -f "$WORK/$name-$t.data"

    say "$name, $t: system calls of the host's own threads per ls-remote (strace, 20 ls-remotes)"
    mkdir -p "$WORK/strace-$name-$t"
    strace -qq -f -ff -o "$WORK/strace-$name-$t/t" -p "${PID[$name]}" &
    strace_pid=$!
    sleep 1
    loop 20 "${URL[$name-$t]}"
    kill -INT "$strace_pid"; wait "$strace_pid" 2>/dev/null || true
    for f in "$WORK/strace-$name-$t"/t.*; do grep -q "execve(" "$f" || cat "$f"; done |
      sed -n 's/^\([a-z0-9_]*\)(.*/\1/p' | sort | uniq -c | sort -rn |
      awk '{ total += $1; row[NR] = sprintf("%8.1f %s", $1 / 20, $2) } END { printf "%8.1f in all\n", total / 20; for (i = 1; i <= 12 && i <= NR; i++) print row[i] }'
  done
done
