# Used by bench/host-bench.sh: starts and stops the servers it compares (dehub-host, git daemon, git http-backend
# behind lighttpd), all on 127.0.0.1, reads a process's CPU time and memory from /proc, and runs a burst of
# concurrent clones. Every process started here is recorded in STARTED and stopped by the EXIT trap.
# Needs lib.sh (WORK, DATA, HOST_BIN, DEHUB, say, die) sourced first.

CLK_TCK=$(getconf CLK_TCK)
STARTED=()
HOST_PID="" BEFORE_PID="" DAEMON_PID="" LIGHTTPD_PID="" SSHD_PID="" MADE_RUN_SSHD=""

stop_started() {
  local pid
  for pid in "${STARTED[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
  done
  for pid in "${STARTED[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -z "$MADE_RUN_SSHD" ] || rmdir /run/sshd 2>/dev/null || true
  return 0
}
host_bench_cleanup() { stop_started; cleanup; }
trap host_bench_cleanup EXIT
trap 'exit 130' INT TERM

# lighttpd (with mod_cgi, mod_alias, mod_setenv) runs git http-backend; installed only when missing.
if ! dpkg-query -W -f='${Status}' lighttpd 2>/dev/null | grep -q "install ok installed"; then
  say "installing lighttpd (for git http-backend)"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq lighttpd >/dev/null
fi
LIGHTTPD=$(command -v lighttpd || echo /usr/sbin/lighttpd)
[ -x "$LIGHTTPD" ] || die "lighttpd not found"

# free_port: a port nothing listens on at 127.0.0.1 (checked by connecting with bash's /dev/tcp).
free_port() {
  local port
  while :; do
    port=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}

# wait_until SECONDS COMMAND...: runs COMMAND every 0.1 s until it succeeds.
wait_until() {
  local tries=$(( $1 * 10 )); shift
  while (( tries-- > 0 )); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}

# server_cpu PID: "own children" CPU time in clock ticks (user + system of the process, and of the children it reaped).
server_cpu() { awk '{ print $14 + $15, $16 + $17 }' "/proc/$1/stat"; }

# proc_status_kib PID FIELD: VmRSS, VmHWM... in KiB.
proc_status_kib() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null; }

# An Ed25519 key for the SSH clients (the host's admin key) and the ssh command line git uses.
make_client_key() {
  mkdir -p "$WORK/keys"; chmod 700 "$WORK/keys"
  ssh-keygen -q -t ed25519 -N '' -C bench@host-bench -f "$WORK/keys/admin"
  SSH_CLIENT="ssh -F /dev/null -i $WORK/keys/admin -o IdentitiesOnly=yes -o BatchMode=yes"
  SSH_CLIENT+=" -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=$WORK/keys/known_hosts -o LogLevel=ERROR"
  export GIT_SSH_COMMAND="$SSH_CLIENT"
}

# start_host LABEL: dehub-host on port 0 for both listeners; sets HOST_PID, HOST_SSH_PORT, HOST_HTTP_PORT.
# HOST_ENV: NAME=VALUE words added to its environment. Only the first start (LABEL first) passes --hook: it copies the
# dehub binary into DATA/bin, which later starts use, so that their peak memory is that of serving.
start_host() {
  local out="$WORK/host-$1.out" hook=()
  [ "$1" = first ] && hook=(--hook "$DEHUB")
  env ${HOST_ENV:-} "$HOST_BIN" serve --data "$DATA" --ssh 127.0.0.1:0 --http 127.0.0.1:0 "${hook[@]}" \
    --admin-key "$WORK/keys/admin.pub" > "$out" 2> "$WORK/host-$1.log" &
  HOST_PID=$!
  STARTED+=("$HOST_PID")
  wait_until 20 grep -qx ready "$out" || { cat "$out" "$WORK/host-$1.log" >&2; die "dehub-host did not start"; }
  HOST_SSH_PORT=$(awk '/^ssh listening on / { n = split($4, a, ":"); print a[n] }' "$out")
  HOST_HTTP_PORT=$(awk '/^http listening on / { n = split($4, a, ":"); print a[n] }' "$out")
  HOST_SSH_URL_BASE="ssh://git@127.0.0.1:$HOST_SSH_PORT"
}

# start_before_host: the dehub-host of BENCH_BEFORE_BIN (an older build) on a copy of DATA made after the first start
# (so it holds the hook binary), for before/after figures from the same run. Sets BEFORE_PID, BEFORE_SSH, BEFORE_HTTP.
start_before_host() {
  local out="$WORK/host-before.out"
  cp -a "$DATA" "$WORK/data-before"
  "$BEFORE_HOST" serve --data "$WORK/data-before" --ssh 127.0.0.1:0 --http 127.0.0.1:0 \
    --admin-key "$WORK/keys/admin.pub" > "$out" 2> "$WORK/host-before.log" &
  BEFORE_PID=$!
  STARTED+=("$BEFORE_PID")
  wait_until 20 grep -qx ready "$out" || { cat "$out" "$WORK/host-before.log" >&2; die "the before dehub-host did not start"; }
  BEFORE_SSH="ssh://git@127.0.0.1:$(awk '/^ssh listening on / { n = split($4, a, ":"); print a[n] }' "$out")"
  BEFORE_HTTP="http://127.0.0.1:$(awk '/^http listening on / { n = split($4, a, ":"); print a[n] }' "$out")"
}

stop_before_host() {
  [ -n "$BEFORE_PID" ] || return 0
  kill -TERM "$BEFORE_PID" 2>/dev/null || true
  wait_until 10 sh -c "! kill -0 $BEFORE_PID" || kill -KILL "$BEFORE_PID" 2>/dev/null || true
  wait "$BEFORE_PID" 2>/dev/null || true
  rm -rf "$WORK/data-before"
}

stop_host() {
  [ -n "$HOST_PID" ] || return 0
  kill -TERM "$HOST_PID" 2>/dev/null || true
  wait_until 10 sh -c "! kill -0 $HOST_PID" || kill -KILL "$HOST_PID" 2>/dev/null || true
  wait "$HOST_PID" 2>/dev/null || true
  HOST_PID=""
}

# set_host_config KEY VALUE: edits DATA/host-config.yml (read at the host's start).
set_host_config() {
  sed -i "s/^$1: .*/$1: $2/" "$DATA/host-config.yml"
  grep -qx "$1: $2" "$DATA/host-config.yml" || die "cannot set $1 in $DATA/host-config.yml"
}

# git daemon serving DATA/repos (every repo exported, no connection limit: its default of 32 would kill
# the oldest connection from the same address when the 33rd arrives). Started as git-daemon itself, not through
# the `git` wrapper, so that DAEMON_PID is the process that reaps the upload-packs (its CPU time counts them).
start_git_daemon() {
  DAEMON_PORT=$(free_port)
  "$(git --exec-path)/git-daemon" --reuseaddr --listen=127.0.0.1 --port="$DAEMON_PORT" --export-all --base-path="$DATA/repos" \
    --max-connections=0 2> "$WORK/git-daemon.log" &
  DAEMON_PID=$!
  STARTED+=("$DAEMON_PID")
  wait_until 10 git ls-remote "git://127.0.0.1:$DAEMON_PORT/big.git" || { cat "$WORK/git-daemon.log" >&2; die "git daemon did not start"; }
}

# lighttpd running git http-backend as a CGI under /git (the setup of git-http-backend(1)), responses streamed.
start_lighttpd() {
  LIGHTTPD_PORT=$(free_port)
  mkdir -p "$WORK/www"
  cat > "$WORK/lighttpd.conf" <<CONF
server.bind = "127.0.0.1"
server.port = $LIGHTTPD_PORT
server.document-root = "$WORK/www"
server.errorlog = "$WORK/lighttpd.log"
server.modules = ("mod_alias", "mod_cgi", "mod_setenv")
server.max-fds = 4096
server.max-connections = 1024
server.stream-response-body = 1
server.stream-request-body = 1
alias.url = ("/git" => "$(git --exec-path)/git-http-backend")
\$HTTP["url"] =~ "^/git" {
  cgi.assign = ("" => "")
  setenv.add-environment = ("GIT_PROJECT_ROOT" => "$DATA/repos", "GIT_HTTP_EXPORT_ALL" => "1")
}
CONF
  "$LIGHTTPD" -tt -f "$WORK/lighttpd.conf" >/dev/null || die "lighttpd rejects $WORK/lighttpd.conf"
  "$LIGHTTPD" -D -f "$WORK/lighttpd.conf" 2>> "$WORK/lighttpd.log" &
  LIGHTTPD_PID=$!
  STARTED+=("$LIGHTTPD_PID")
  wait_until 10 git ls-remote "http://127.0.0.1:$LIGHTTPD_PORT/git/big.git" || { cat "$WORK/lighttpd.log" >&2; die "lighttpd did not start"; }
}

# OpenSSH's sshd running git-upload-pack, as plain git over SSH is served: only when sshd is installed (the script
# does not install it: on a machine with an init system the package would start sshd on port 22). It runs as the
# current user, listens on 127.0.0.1 only, and takes only the bench key. Sets SSHD_PID, SSHD_PORT, SSHD_USER, SSHD.
start_sshd() {
  local sshd
  sshd=$(command -v sshd || echo /usr/sbin/sshd)
  [ -x "$sshd" ] && [ "${BENCH_SSHD:-1}" != 0 ] || { say "no sshd: the SSH comparison is with git daemon only"; return 0; }
  SSHD_PORT=$(free_port) SSHD_USER=$(id -un)
  mkdir -p "$WORK/sshd"
  ssh-keygen -q -t ed25519 -N '' -f "$WORK/sshd/host_key"
  cp "$WORK/keys/admin.pub" "$WORK/sshd/authorized_keys"
  cat > "$WORK/sshd/config" <<CONF
ListenAddress 127.0.0.1
Port $SSHD_PORT
HostKey $WORK/sshd/host_key
PidFile $WORK/sshd/pid
AuthorizedKeysFile $WORK/sshd/authorized_keys
AllowUsers $SSHD_USER
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin prohibit-password
PrintMotd no
SetEnv GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
CONF
  # As root, sshd needs its privilege separation directory (made by its init script, which does not run here).
  if [ "$(id -u)" = 0 ] && [ ! -d /run/sshd ]; then mkdir -m 755 /run/sshd && MADE_RUN_SSHD=1; fi
  "$sshd" -t -f "$WORK/sshd/config" 2> "$WORK/sshd/log" || { say "sshd rejects its config: skipped"; return 0; }
  "$sshd" -D -e -f "$WORK/sshd/config" 2>> "$WORK/sshd/log" &
  SSHD_PID=$!
  STARTED+=("$SSHD_PID")
  SSHD="ssh://$SSHD_USER@127.0.0.1:$SSHD_PORT$DATA/repos"
  if ! wait_until 10 git ls-remote "$SSHD/big.git"; then
    cat "$WORK/sshd/log" >&2; say "sshd did not answer: skipped"; kill "$SSHD_PID" 2>/dev/null || true; SSHD_PID=""
  fi
}

# concurrent SSH_URL HTTP_URL "PIDS" MAIN: CONCURRENT clones at once, even ones over SSH_URL, odd ones over HTTP_URL;
# the first of PIDS has its VmRSS sampled every 50 ms. Prints key=value lines: counts, wall time, peak memory,
# CPU time of the servers (PIDS and the children they reaped) and of the clients.
concurrent() {
  local ssh_url=$1 http_url=$2 pids=$3 main=$4 dir="$WORK/conc" i url start end first sampler
  local cpu_before=() cpu_after=() client_before client_after clones=() p
  first=${pids%% *}
  rm -rf "$dir"; mkdir -p "$dir"
  for p in $pids; do cpu_before+=("$(server_cpu "$p")"); done
  client_before=$(server_cpu $$)
  touch "$dir/sampling"
  ( while [ -e "$dir/sampling" ]; do proc_status_kib "$first" VmRSS; sleep 0.05; done > "$dir/rss" ) &
  sampler=$!
  STARTED+=("$sampler")
  start=$(date +%s%N)
  for ((i = 0; i < CONCURRENT; i++)); do
    if (( i % 2 )); then url=$http_url; else url=$ssh_url; fi
    ( rc=0; git clone -q --no-checkout "$url" "$dir/c$i" 2> "$dir/c$i.err" || rc=$?; echo "$rc" > "$dir/c$i.rc" ) &
    clones+=($!)
  done
  wait "${clones[@]}" || true
  end=$(date +%s%N)
  rm -f "$dir/sampling"; wait "$sampler"
  client_after=$(server_cpu $$)
  for p in $pids; do cpu_after+=("$(server_cpu "$p")"); done
  local ok_ssh=0 ok_http=0 failed_ssh=0 failed_http=0 busy=0 error_ssh="" error_http=""
  for ((i = 0; i < CONCURRENT; i++)); do
    if [ "$(cat "$dir/c$i.rc" 2>/dev/null)" = 0 ] && [ "$(git -C "$dir/c$i" rev-parse -q --verify main 2>/dev/null)" = "$main" ]; then
      if (( i % 2 )); then ((++ok_http)); else ((++ok_ssh)); fi
    else
      if grep -qi busy "$dir/c$i.err"; then ((++busy)); fi
      if (( i % 2 )); then
        ((++failed_http))
        [ -n "$error_http" ] || error_http=$(tr '\n' ' ' < "$dir/c$i.err" | cut -c1-200)
      else
        ((++failed_ssh))
        [ -n "$error_ssh" ] || error_ssh=$(tr '\n' ' ' < "$dir/c$i.err" | cut -c1-200)
      fi
    fi
  done
  echo "ok_ssh=$ok_ssh"; echo "ok_http=$ok_http"; echo "failed_ssh=$failed_ssh"; echo "failed_http=$failed_http"
  echo "busy=$busy"
  echo "error_ssh=$error_ssh"; echo "error_http=$error_http"
  echo "wall_s=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", (e - s) / 1e9 }')"
  echo "peak_rss_kib=$(sort -n "$dir/rss" | tail -1)"
  echo "samples=$(wc -l < "$dir/rss")"
  echo "hwm_kib=$(proc_status_kib "$first" VmHWM)"
  echo "rss_end_kib=$(proc_status_kib "$first" VmRSS)"
  local own=0 children=0
  for ((i = 0; i < ${#cpu_after[@]}; i++)); do
    read -r a b <<< "${cpu_before[$i]}"; read -r c d <<< "${cpu_after[$i]}"
    own=$(( own + c - a )); children=$(( children + d - b ))
  done
  read -r a b <<< "$client_before"; read -r c d <<< "$client_after"
  echo "server_own_cpu_s=$(awk -v t="$own" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }')"
  echo "server_git_cpu_s=$(awk -v t="$children" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }')"
  echo "client_cpu_s=$(awk -v t="$(( d - b ))" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }')"
  echo "load=$(cut -d' ' -f1-3 /proc/loadavg)"
  rm -rf "$dir"
}
