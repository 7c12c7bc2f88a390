# Used by bench/host-bench.sh once everything is measured: writes the host-bench section of BENCHMARKS.md from
# CSV (lib.sh's measure rows), SERVER_CSV (server CPU per run) and the key=value files of the concurrent runs.

ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
sec() { awk -v s="$1" 'BEGIN { printf "%.3f", s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mean() { field "$CSV" "$1" 3; }
sd() { field "$CSV" "$1" 4; }
cpu() { field "$CSV" "$1" 5; }
server() { # server NAME: "own + git" seconds per run, or — for no server
  awk -F, -v n="$1" '$1 == n { if ($2 == "nan") print "—"; else printf "%.3f + %.3f", $2, $3 }' "$SERVER_CSV"
}
met() { if awk "BEGIN { exit !($1) }"; then echo met; else echo "**missed**"; fi; }
per_mib() { awk -F, -v n="$1" -v m="$PACK_MIB" '$1 == n && $2 != "nan" { printf "%.2f", $2 * 1000 / m }' "$SERVER_CSV"; }
has() { grep -q "^$1," "$CSV"; }
get() { sed -n "s/^$2=//p" "$1"; }
mib() { awk -v k="$1" 'BEGIN { if (k == "") print "?"; else printf "%.1f", k / 1024 }'; }

clone_row() { # clone_row NAME SERVER TRANSPORT BASELINE (the plain server on the same transport; '' for none)
  local name=$1 r="—" target="—" mine
  if [ -n "$4" ] && has "$4"; then
    r="$(ratio "$(mean "$name")" "$(mean "$4")")×"
    [ "$4" != "$name" ] && target="≤ 1.05×: $(met "$(mean "$name") <= 1.05 * $(mean "$4")")"
  fi
  mine=$(per_mib "$name"); [ -n "$mine" ] && [ "$mine" != "nan" ] || mine="—"
  echo "| $2 | $3 | $(sec "$(mean "$name")") ± $(sec "$(sd "$name")") | $r | $(ratio "$(mean "$name")" "$(mean clone-daemon)")× | $(ratio "$(mean "$name")" "$(mean clone-file)")× | $(sec "$(cpu "$name")") | $(server "$name") | $mine | $target |"
}

ls_row() { # ls_row NAME SERVER TRANSPORT TARGET (ssh: ≤ file:// + 10 ms; http: no slower than http-backend; no)
  local name=$1 delta target="—"
  delta=$(awk -v a="$(mean "$name")" -v b="$(mean ls-file)" 'BEGIN { printf "%+.1f", (a - b) * 1000 }')
  [ "$4" = ssh ] && target="≤ +10 ms: $(met "$delta <= 10")"
  [ "$4" = http ] && target="≤ http-backend: $(met "$(mean "$name") <= $(mean ls-backend)")"
  echo "| $2 | $3 | $(ms "$(mean "$name")") ± $(ms "$(sd "$name")") | $delta ms | $(ms "$(cpu "$name")") | $(server "$name" | awk '{ if ($0 == "—") print; else printf "%.1f + %.1f", $1 * 1000, $3 * 1000 }') | $target |"
}

conc_row() { # conc_row FILE LABEL TARGETED
  local f=$1 ok failed target="—"
  ok=$(( $(get "$f" ok_ssh) + $(get "$f" ok_http) ))
  failed=$(( $(get "$f" failed_ssh) + $(get "$f" failed_http) ))
  if [ "$3" = yes ]; then
    target="none fail: $(met "$failed == 0"); < 100 MiB: $(met "$(get "$f" hwm_kib) < 102400")"
  fi
  echo "| $2 | $ok ($(get "$f" ok_ssh) + $(get "$f" ok_http)) | $failed ($(get "$f" failed_ssh) + $(get "$f" failed_http)), $(get "$f" busy) | $(get "$f" wall_s) | $(mib "$(get "$f" peak_rss_kib)") / $(mib "$(get "$f" hwm_kib)") | $(get "$f" server_own_cpu_s) + $(get "$f" server_git_cpu_s) | $(get "$f" client_cpu_s) | $target |"
}

SECTION="$WORK/section.md"
{
  echo "## dehub-host against plain git: clone, ls-remote, $CONCURRENT clones at once"
  echo
  echo "Run on $(date -u '+%Y-%m-%d %H:%M UTC'), $(machine)."
  echo "dehub-host built with \`swift build -c release\`, started with its defaults (\`host-config.yml\` as written at first"
  echo "start, log level info to a file). One bare repo, \`DATA/repos/big.git\`, is served by all: dehub-host over SSH (embedded"
  echo "libssh server, Ed25519 client key) and smart HTTP (Hummingbird); \`git daemon --export-all --base-path\` (git://);"
  echo "\`git http-backend\` as a CGI of lighttpd $("$LIGHTTPD" -v 2>/dev/null | head -1 | awk '{ print $1 }' | cut -d/ -f2) (mod_alias + mod_cgi + mod_setenv,"
  echo "\`server.stream-response-body = 1\`); \`file://\` is the floor (upload-pack on a pipe, no server)."
  echo "big.git holds $REPO_MIB files of 1 MiB of random bytes in 4 commits, repacked into one pack of $PACK_MIB MiB with a bitmap."
  echo "Everything (repos, clones) is on $(df -PT "$WORK" | awk 'NR == 2 { print $2 }'), all traffic on 127.0.0.1."
  echo
  echo "### Clone of big.git ($PACK_MIB MiB)"
  echo
  echo "\`git clone -q --no-checkout URL\` timed by \`hyperfine -N --prepare 'rm -rf CLONE'\`, $RUNS runs each after $WARMUP warm-up run(s); the servers"
  echo "take turns, one run each per round, so that the load of other processes on this shared machine spreads over all."
  echo "Mean ± standard deviation."
  echo "Client CPU: hyperfine's user + system of \`git clone\` and its children (ssh, index-pack; for file:// also"
  echo "upload-pack and pack-objects). Server CPU per clone: the server process's own user + system time, and that of the"
  echo "git processes it reaped (from /proc/PID/stat, warm-up run included; for sshd and lighttpd that includes their"
  echo "per-connection sshd and CGI processes; git daemon forks one per connection too, so its own time is ~0)."
  echo
  echo "| server | transport | wall (s) | vs plain, same transport | vs git daemon | vs file:// | client CPU (s) | server CPU own + git (s) | own CPU per MiB (ms) | target |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"
  ssh_plain=clone-daemon; has clone-sshd && ssh_plain=clone-sshd
  clone_row clone-file "file:// (floor)" "pipe" ""
  clone_row clone-daemon "git daemon" "git://" clone-daemon
  has clone-sshd && clone_row clone-sshd "OpenSSH sshd + git-upload-pack" "SSH" clone-sshd
  clone_row clone-host-ssh "**dehub-host**" "SSH" "$ssh_plain"
  has clone-before-ssh && clone_row clone-before-ssh "dehub-host before (\`BENCH_BEFORE_BIN\`)" "SSH" "$ssh_plain"
  clone_row clone-backend "git http-backend + lighttpd" "HTTP" clone-backend
  clone_row clone-host-http "**dehub-host**" "HTTP" clone-backend
  has clone-before-http && clone_row clone-before-http "dehub-host before (\`BENCH_BEFORE_BIN\`)" "HTTP" clone-backend
  echo
  echo "Over SSH the host is held to OpenSSH's sshd (when installed; else to git daemon); both encrypt the whole pack"
  echo "(sshd: chacha20-poly1305 as the client prefers; the host offers AES-GCM only). For sshd and git daemon the own CPU"
  echo "is ~0: they fork a process per connection, whose time is in the git column."
  echo
  echo "Host CPU per MiB served (target: within 1.5× of lighttpd's $(per_mib clone-backend) ms): HTTP $(per_mib clone-host-http) ms"
  echo "($(met "$(per_mib clone-host-http) <= 1.5 * $(per_mib clone-backend)")), SSH $(per_mib clone-host-ssh) ms with the encryption"
  echo "($(met "$(per_mib clone-host-ssh) <= 1.5 * $(per_mib clone-backend)"))."
  echo
  echo "### \`git ls-remote\` latency"
  echo
  echo "\`hyperfine -N 'git ls-remote URL'\` (protocol v2), $LS_ROUNDS rounds of $(( (LS_RUNS + LS_ROUNDS - 1) / LS_ROUNDS )) runs (3 warm-up runs first); mean ± standard deviation. CPU as above, in ms."
  echo
  echo "| server | transport | wall (ms) | vs file:// | client CPU (ms) | server CPU own + git (ms) | target |"
  echo "|---|---|---:|---:|---:|---:|---|"
  ls_row ls-file "file:// (floor)" pipe no
  ls_row ls-daemon "git daemon" "git://" no
  ls_row ls-host-ssh "**dehub-host**" SSH ssh
  has ls-before-ssh && ls_row ls-before-ssh "dehub-host before" SSH ssh
  ls_row ls-backend "git http-backend + lighttpd" HTTP no
  ls_row ls-host-http "**dehub-host**" HTTP http
  has ls-before-http && ls_row ls-before-http "dehub-host before" HTTP http
  ls_row ssh-whoami "dehub-host \`whoami\` (an SSH session, no git)" SSH no
  if has ls-sshd; then
    ls_row ls-sshd "OpenSSH sshd + git-upload-pack (reference)" SSH no
    ls_row ssh-sshd "OpenSSH sshd \`true\` (an SSH session, no git)" SSH no
  fi
  if [ "$CONCURRENT" -gt 0 ]; then
  echo
  echo "### $CONCURRENT clones at once"
  echo
  echo "$CONCURRENT \`git clone -q --no-checkout\` of $CONC_REPO.git ($CONC_MIB MiB of random blobs) started together, even ones over"
  echo "SSH (git:// for plain git), odd ones over HTTP; a clone counts as good when git exits 0 and main is at the served commit."
  echo "The host is started afresh for each run, without \`--hook\` (the hook binary is in DATA/bin since the first start),"
  echo "so VmHWM (peak resident memory from /proc/PID/status) covers the burst; VmRSS is also sampled every 50 ms."
  echo "(The first start, with \`--hook\`, which copies the $(( $(stat -c %s "$DEHUB") / 1048576 )) MiB dehub binary into DATA/bin, peaked at"
  echo "$(mib "$HWM_FIRST_START") MiB before any request.) For plain git the memory is lighttpd's, the CPU that of lighttpd"
  echo "and git daemon with their children."
  echo
  echo "| server | good (SSH + HTTP) | failed (SSH + HTTP), of which said \"busy\" | wall (s) | peak VmRSS sampled / VmHWM (MiB) | server CPU own + git (s) | clients CPU (s) | target |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
  conc_row "$CONC_HOST" "**dehub-host**, defaults (\`max_git_processes: 32\`)" yes
  conc_row "$CONC_PLAIN" "git daemon (\`--max-connections=0\`) + http-backend/lighttpd" no
  conc_row "$CONC_WIDE" "dehub-host with \`max_git_processes: $CONCURRENT\` (not the default)" yes
  conc_row "$CONC_MALLOC" "the same with \`MALLOC_MMAP_THRESHOLD_=32768\` (diagnostic)" no
  echo
  for f in "$CONC_HOST" "$CONC_PLAIN" "$CONC_WIDE" "$CONC_MALLOC"; do
    for t in ssh http; do
      e=$(get "$f" "error_$t")
      if [ -n "$e" ]; then echo "What the first failed $t clone printed ($(basename "$f" .txt)): \`$e\`"; echo; fi
    done
  done
  echo "In the diagnostic run glibc hands every allocation of 32 KiB or more back to the system when it is freed (git's"
  echo "output is read in buffers of up to 128 KiB): the host then peaks at $(mib "$(get "$CONC_MALLOC" hwm_kib)") MiB and ends at $(mib "$(get "$CONC_MALLOC" rss_end_kib)") MiB, against"
  echo "$(mib "$(get "$CONC_WIDE" hwm_kib)") and $(mib "$(get "$CONC_WIDE" rss_end_kib)") MiB with the default allocator settings: most of the peak is freed memory that glibc keeps,"
  echo "not data the host holds. It is a diagnosis, not a fix: the host then spends $(get "$CONC_MALLOC" server_own_cpu_s) s of CPU instead of $(get "$CONC_WIDE" server_own_cpu_s) s (a fresh"
  echo "mapping, and its page faults, for every buffer)."
  echo
  fi
  echo "After the sequential runs above (both transports, $((WARMUP + RUNS)) clones each, $((3 + LS_RUNS)) ls-remote each), the first host's VmHWM was $(mib "$HWM_SEQUENTIAL") MiB (its start-up included)."
  echo
  echo "Commands:"
  echo
  echo '```sh'
  echo "make bench                       # or: bash bench/host-bench.sh \"\$(swift build -c release --show-bin-path)\""
  echo "dehub-host serve --data DATA --ssh 127.0.0.1:0 --http 127.0.0.1:0 --hook dehub --admin-key KEY.pub"
  echo "git daemon --reuseaddr --listen=127.0.0.1 --port=P --export-all --base-path=DATA/repos --max-connections=0"
  echo "lighttpd -D -f CONF              # alias /git => git-http-backend, cgi.assign, GIT_PROJECT_ROOT=DATA/repos, GIT_HTTP_EXPORT_ALL"
  echo "sshd -D -f CONF                 # when installed: 127.0.0.1, the bench key only; URL ssh://USER@127.0.0.1:P/DATA/repos"
  echo "hyperfine -N --runs 1 --prepare 'rm -rf CLONE' 'git clone -q --no-checkout URL/big.git CLONE'   # per server, $RUNS rounds"
  echo "hyperfine -N --runs $(( (LS_RUNS + LS_ROUNDS - 1) / LS_ROUNDS )) 'git ls-remote URL/big.git'                                   # per server, $LS_ROUNDS rounds"
  echo '```'
  echo
  echo "Targets (issues 4 and 11): a clone through the host ≤ 1.05× the plain server on the same transport (git"
  echo "http-backend behind lighttpd; OpenSSH's sshd); the host's own CPU per MiB within 1.5× of lighttpd's; \`ls-remote\`"
  echo "over SSH within 10 ms of file://, over HTTP no slower than http-backend; $CONCURRENT clones at once: none fails, the host"
  echo "stays under 100 MiB resident."
} > "$SECTION"
replace_section "$REPO_ROOT/BENCHMARKS.md" host-bench "$SECTION"
cat "$SECTION"
