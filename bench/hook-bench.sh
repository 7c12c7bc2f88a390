#!/usr/bin/env bash
# Times what the dehub pre-receive hook adds to a push (issue 3, part 6), in the same run:
#   - a push of 300 SSH-signed change commits, and of 300 OpenPGP-signed ones, to a bare repo with
#     `dehub install-hook` against the same push without a hook (and, for reference, with a naive hook that
#     runs `git log --format=%G?` over the pushed commits);
#   - a push of one commit: the time the hook adds;
#   - `dehub --version` start-up.
# Every timed push goes to a fresh copy of a bare repo (hyperfine --prepare). Writes BENCHMARKS.md (section hook-bench).
# Usage: bench/hook-bench.sh BIN_DIR   (BIN_DIR holds release builds of dehub and dehub-bench)
# Environment: BENCH_PUSH_COMMITS (300), BENCH_RUNS (5), BENCH_WARMUP (1), BENCH_SMALL_RUNS (30),
#              DEHUB_STATIC (path of a static dehub: also timed as hooks/pre-receive, and at start-up), BENCH_KEEP=1,
#              BENCH_BEFORE_BIN (a directory holding an older release `dehub`: also timed as hooks/pre-receive, in the
#              same run, for a before/after row), BENCH_BEFORE_STATIC (an older static dehub: also timed as
#              hooks/pre-receive, next to DEHUB_STATIC, for a before/after row of the static hook).
BIN=$(cd "${1:?usage: bench/hook-bench.sh BIN_DIR}" && pwd)
REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$REPO_ROOT/bench/lib.sh"

N=${BENCH_PUSH_COMMITS:-300}
SMALL_RUNS=${BENCH_SMALL_RUNS:-30}
CSV="$WORK/results.csv"
: > "$CSV"
ZERO=0000000000000000000000000000000000000000
# The hooked variants timed: the dynamic build as a script and as a copy, the naive hook, and the static binary as a copy.
HOOKED="hook copy naive"
[ -n "${DEHUB_STATIC:-}" ] && HOOKED="$HOOKED static"
BEFORE=""
if [ -n "${BENCH_BEFORE_BIN:-}" ]; then
  BEFORE=$(cd "$BENCH_BEFORE_BIN" && pwd)/dehub
  [ -x "$BEFORE" ] || die "BENCH_BEFORE_BIN: no dehub in $BENCH_BEFORE_BIN"
  HOOKED="$HOOKED before"
fi
BEFORE_STATIC=""
if [ -n "${BENCH_BEFORE_STATIC:-}" ]; then
  [ -n "${DEHUB_STATIC:-}" ] || die "BENCH_BEFORE_STATIC needs DEHUB_STATIC (the static build it is compared with)"
  BEFORE_STATIC=$(cd "$(dirname "$BENCH_BEFORE_STATIC")" && pwd)/$(basename "$BENCH_BEFORE_STATIC")
  [ -x "$BEFORE_STATIC" ] || die "BENCH_BEFORE_STATIC: $BENCH_BEFORE_STATIC is not an executable"
  HOOKED="$HOOKED beforestatic"
fi

# A pre-receive hook that accepts only commits whose git signature is good (G): the naive alternative.
NAIVE_HOOK='#!/bin/sh
while read old new ref; do
  if [ "$old" = '"$ZERO"' ]; then range=$new; else range=$old..$new; fi
  if git log --format=%G? "$range" | grep -qv "^G$"; then echo "naive hook: a commit is not signed" >&2; exit 1; fi
done'

# templates KIND SRC BASE NAME: bare repos t-KIND-NAME-{plain,hook,copy,naive}.git whose main is at BASE of SRC:
# no hook, `dehub install-hook` (a script that execs dehub), `install-hook --copy` (the binary itself as
# hooks/pre-receive, which skips /bin/sh and the argument parser), and the naive git log %G? hook.
templates() {
  local kind=$1 src=$2 base=$3 name=$4 t
  t="$WORK/t-$kind-$name"
  git init -q --bare "$t-plain.git"
  git -C "$src" push -q "$t-plain.git" "$base:refs/heads/main"
  cp -a "$t-plain.git" "$t-hook.git"
  "$DEHUB" install-hook --repo "$t-hook.git" >/dev/null
  cp -a "$t-plain.git" "$t-copy.git"
  "$DEHUB" install-hook --copy --repo "$t-copy.git" >/dev/null
  cp -a "$t-plain.git" "$t-naive.git"
  printf '%s\n' "$NAIVE_HOOK" > "$t-naive.git/hooks/pre-receive"; chmod +x "$t-naive.git/hooks/pre-receive"
  if [ -n "${DEHUB_STATIC:-}" ]; then
    cp -a "$t-plain.git" "$t-static.git"
    "$DEHUB_STATIC" install-hook --copy --repo "$t-static.git" >/dev/null
  fi
  if [ -n "$BEFORE" ]; then
    cp -a "$t-plain.git" "$t-before.git"
    "$BEFORE" install-hook --copy --repo "$t-before.git" >/dev/null
  fi
  if [ -n "$BEFORE_STATIC" ]; then
    cp -a "$t-plain.git" "$t-beforestatic.git"
    "$BEFORE_STATIC" install-hook --copy --repo "$t-beforestatic.git" >/dev/null
  fi
  [ "$kind" = ssh ] && git -C "$t-naive.git" config gpg.ssh.allowedSignersFile "$src/.git/allowed_signers"
  return 0
}

# sanity KIND SRC NAME: the hook accepts main, and refuses an unsigned commit on top of it.
sanity() {
  local kind=$1 src=$2 t="$WORK/t-$1-$3" probe="$WORK/probe.git" unsigned
  for variant in plain $HOOKED; do
    rm -rf "$probe"; cp -a "$t-$variant.git" "$probe"
    git -C "$src" push -q "$probe" main 2>/dev/null || die "$variant: push of $kind main refused"
  done
  unsigned=$(git -C "$src" commit-tree "main^{tree}" -p main -m "Unsigned change")
  for variant in $HOOKED; do
    rm -rf "$probe"; cp -a "$t-$variant.git" "$probe"
    if git -C "$src" push -q "$probe" "$unsigned:refs/heads/main" 2>/dev/null; then die "$variant hook accepted an unsigned commit"; fi
  done
  rm -rf "$probe"
}

# time_pushes KIND SRC NAME RUNS: times the push of main into fresh copies of each template.
time_pushes() {
  local kind=$1 src=$2 name=$3 t="$WORK/t-$1-$3" b="$WORK/b.git"
  for variant in plain $HOOKED; do
    RUNS=$4 measure "$CSV" "$kind-$name-$variant" "rm -rf '$b' && cp -a '$t-$variant.git' '$b'" "git -C '$src' push -q '$b' main"
  done
}

say "generating $N SSH-signed and $N OpenPGP-signed change commits"
PGP_KEY=$(make_pgp_key)
SSH_ROOT=$(generate ssh "$N" "$WORK/ssh")
PGP_ROOT=$(generate pgp "$N" "$WORK/pgp")
check_history "$WORK/ssh" "$SSH_ROOT" "$N"
check_history "$WORK/pgp" "$PGP_ROOT" "$N"

for kind in ssh pgp; do
  if [ "$kind" = ssh ]; then root=$SSH_ROOT; else root=$PGP_ROOT; fi
  templates "$kind" "$WORK/$kind" "$root" all
  templates "$kind" "$WORK/$kind" "main~1" one
  sanity "$kind" "$WORK/$kind" all
  sanity "$kind" "$WORK/$kind" one
done

for kind in ssh pgp; do
  say "timing the push of $N $kind-signed commits"
  time_pushes "$kind" "$WORK/$kind" all "$RUNS"
  say "timing the push of one $kind-signed commit"
  time_pushes "$kind" "$WORK/$kind" one "$SMALL_RUNS"
done

say "timing start-up"
BENCH_NO_SHELL=1 RUNS=200 WARMUP=20 measure "$CSV" startup-dehub "" "$DEHUB --version"
if [ -n "${DEHUB_STATIC:-}" ]; then
  BENCH_NO_SHELL=1 RUNS=200 WARMUP=20 measure "$CSV" startup-static "" "$DEHUB_STATIC --version"
fi
BENCH_NO_SHELL=1 RUNS=200 WARMUP=20 measure "$CSV" startup-git "" "git --version"

ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
sd() { awk -v s="$(field "$CSV" "$1" 4)" 'BEGIN { printf "%.1f", s * 1000 }'; }

# versus NAME PLAIN HOOKED: "RATIO|TARGET" cells for a hooked push against the plain one: a ratio and the 1.5×
# target for the N-commit push (NAME all), the milliseconds added and the 10 ms target for one commit.
versus() {
  local added
  if [ "$1" = all ]; then
    printf '%s×|≤ 1.5×: %s' "$(ratio "$3" "$2")" "$(awk -v h="$3" -v p="$2" 'BEGIN { print (h / p <= 1.5) ? "met" : "**missed**" }')"
  else
    added=$(awk -v h="$3" -v p="$2" 'BEGIN { printf "%.1f", (h - p) * 1000 }')
    printf '+%s ms|≤ +10 ms: %s' "$added" "$(awk -v a="$added" 'BEGIN { print (a <= 10) ? "met" : "**missed**" }')"
  fi
}
label_of() { if [ "$1" = ssh ]; then echo "SSH-signed"; else echo "OpenPGP-signed"; fi; }
what_of() { if [ "$2" = all ]; then echo "$N $(label_of "$1") commits"; else echo "1 $(label_of "$1") commit"; fi; }

SECTION="$WORK/section.md"
{
  echo "## The pre-receive hook: what it adds to a push"
  echo
  echo "Run on $(date -u '+%Y-%m-%d %H:%M UTC'), $(machine)."
  echo "dehub built with \`swift build -c release\` (dynamic), installed with \`dehub install-hook --repo BARE\` (a two-line"
  echo "\`/bin/sh\` script that execs \`dehub hook pre-receive\`), or with \`install-hook --copy\` (the binary itself as hooks/pre-receive,"
  echo "which skips /bin/sh and the argument parser). Each timed \`git push\` (over the local transport) goes to a fresh copy of a bare repo"
  echo "(\`hyperfine --prepare\`). Median of $RUNS runs for $N commits, of $SMALL_RUNS runs for one commit, after $WARMUP warm-up run(s)."
  echo "The naive hook runs \`git log --format=%G?\` over the pushed commits (one \`gpg\` or two \`ssh-keygen\` processes per commit)."
  echo
  echo "| push | no hook | dehub hook | dehub / none | target | dehub binary as hooks/pre-receive | / none | naive %G? hook | / none |"
  echo "|---|---:|---:|---:|---|---:|---:|---:|---:|"
  for kind in ssh pgp; do
    for name in all one; do
      p=$(field "$CSV" "$kind-$name-plain" 2); h=$(field "$CSV" "$kind-$name-hook" 2)
      c=$(field "$CSV" "$kind-$name-copy" 2); v=$(field "$CSV" "$kind-$name-naive" 2)
      hooked=$(versus "$name" "$p" "$h"); copied=$(versus "$name" "$p" "$c")
      echo "| $(what_of "$kind" "$name") | $(ms "$p") ± $(sd "$kind-$name-plain") | $(ms "$h") ± $(sd "$kind-$name-hook") | ${hooked%%|*} | ${hooked#*|} | $(ms "$c") ± $(sd "$kind-$name-copy") | ${copied%%|*} | $(ms "$v") | $(ratio "$v" "$p")× |"
    done
  done
  if [ -n "${DEHUB_STATIC:-}" ]; then
    echo
    echo "The static binary ($DEHUB_STATIC, \`make static\`) as hooks/pre-receive (\`install-hook --copy\`), the way a server installs it:"
    echo
    echo "| push | no hook | static dehub as hooks/pre-receive | / none | target |"
    echo "|---|---:|---:|---:|---|"
    for kind in ssh pgp; do
      for name in all one; do
        p=$(field "$CSV" "$kind-$name-plain" 2); st=$(field "$CSV" "$kind-$name-static" 2); static=$(versus "$name" "$p" "$st")
        echo "| $(what_of "$kind" "$name") | $(ms "$p") ± $(sd "$kind-$name-plain") | $(ms "$st") ± $(sd "$kind-$name-static") | ${static%%|*} | ${static#*|} |"
      done
    done
  fi
  if [ -n "$BEFORE_STATIC" ]; then
    echo
    echo "The static hook before and after, in the same run: the older static binary (\`BENCH_BEFORE_STATIC\`) and this one"
    echo "(\`DEHUB_STATIC\`), each as hooks/pre-receive. Wall in ms (median), then CPU in ms (mean user + system of the whole push);"
    echo "the hook's CPU is the push's minus the push's without a hook:"
    echo
    echo "| push | no hook | before | after | before / none | after / none | target | hook CPU before | hook CPU after | after / before |"
    echo "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|"
    for kind in ssh pgp; do
      for name in all one; do
        p=$(field "$CSV" "$kind-$name-plain" 2); b=$(field "$CSV" "$kind-$name-beforestatic" 2); c=$(field "$CSV" "$kind-$name-static" 2)
        pc=$(field "$CSV" "$kind-$name-plain" 5); bc=$(field "$CSV" "$kind-$name-beforestatic" 5); cc=$(field "$CSV" "$kind-$name-static" 5)
        after=$(versus "$name" "$p" "$c"); before=$(versus "$name" "$p" "$b")
        cpu=$(awk -v p="$pc" -v b="$bc" -v c="$cc" 'BEGIN { printf "%.1f|%.1f|", (b - p) * 1000, (c - p) * 1000; if (b - p > 0) printf "%.2f", (c - p) / (b - p); else print "—" }')
        echo "| $(what_of "$kind" "$name") | $(ms "$p") | $(ms "$b") | $(ms "$c") | ${before%%|*} | ${after%%|*} | ${after#*|} | ${cpu%%|*} ms | $(echo "$cpu" | cut -d'|' -f2) ms | ${cpu##*|} |"
      done
    done
    echo
    echo "Per commit, the static hook's CPU for the $N-commit pushes (hook CPU / $N): SSH $(awk -v p="$(field "$CSV" ssh-all-plain 5)" -v c="$(field "$CSV" ssh-all-static 5)" -v n="$N" 'BEGIN { printf "%.3f", (c - p) * 1000 / n }') ms,"
    echo "OpenPGP $(awk -v p="$(field "$CSV" pgp-all-plain 5)" -v c="$(field "$CSV" pgp-all-static 5)" -v n="$N" 'BEGIN { printf "%.3f", (c - p) * 1000 / n }') ms (before: SSH $(awk -v p="$(field "$CSV" ssh-all-plain 5)" -v c="$(field "$CSV" ssh-all-beforestatic 5)" -v n="$N" 'BEGIN { printf "%.3f", (c - p) * 1000 / n }') ms, OpenPGP $(awk -v p="$(field "$CSV" pgp-all-plain 5)" -v c="$(field "$CSV" pgp-all-beforestatic 5)" -v n="$N" 'BEGIN { printf "%.3f", (c - p) * 1000 / n }') ms)."
  fi
  if [ -n "$BEFORE" ]; then
    echo
    echo "Before and after, in the same run: the older build (\`BENCH_BEFORE_BIN\`) and this one, each as hooks/pre-receive"
    echo "(\`install-hook --copy\`, release, dynamic). Wall in ms (median), then CPU in ms (mean user + system of the whole push):"
    echo
    echo "| push | no hook | before | after | before / none | after / none | CPU: no hook | CPU: before | CPU: after | hook CPU after / before |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for kind in ssh pgp; do
      for name in all one; do
        p=$(field "$CSV" "$kind-$name-plain" 2); b=$(field "$CSV" "$kind-$name-before" 2); c=$(field "$CSV" "$kind-$name-copy" 2)
        pc=$(field "$CSV" "$kind-$name-plain" 5); bc=$(field "$CSV" "$kind-$name-before" 5); cc=$(field "$CSV" "$kind-$name-copy" 5)
        hookratio=$(awk -v p="$pc" -v b="$bc" -v c="$cc" 'BEGIN { if (b - p > 0) printf "%.2f", (c - p) / (b - p); else print "—" }')
        echo "| $(what_of "$kind" "$name") | $(ms "$p") | $(ms "$b") | $(ms "$c") | $(ratio "$b" "$p")× | $(ratio "$c" "$p")× | $(ms "$pc") | $(ms "$bc") | $(ms "$cc") | $hookratio |"
      done
    done
  fi
  echo
  echo "CPU time (mean user + system of git and everything it starts), no hook / dehub hook / binary as hook / naive hook:"
  echo
  for kind in ssh pgp; do
    for name in all one; do
      printf -- "- %s %s: %s / %s / %s / %s ms\n" "$kind" "$( [ "$name" = all ] && echo "$N commits" || echo "1 commit")" \
        "$(ms "$(field "$CSV" "$kind-$name-plain" 5)")" "$(ms "$(field "$CSV" "$kind-$name-hook" 5)")" \
        "$(ms "$(field "$CSV" "$kind-$name-copy" 5)")" "$(ms "$(field "$CSV" "$kind-$name-naive" 5)")"
    done
  done
  echo
  echo "Wall times in ms: medians ± standard deviation."
  echo
  echo "Start-up, \`hyperfine -N --warmup 20 --runs 200\`, median:"
  echo
  echo "| binary | \`--version\` wall | CPU |"
  echo "|---|---:|---:|"
  echo "| dehub (release, dynamic) | $(ms "$(field "$CSV" startup-dehub 2)") ms | $(ms "$(field "$CSV" startup-dehub 5)") ms |"
  if [ -n "${DEHUB_STATIC:-}" ]; then
    echo "| dehub (static: $DEHUB_STATIC) | $(ms "$(field "$CSV" startup-static 2)") ms | $(ms "$(field "$CSV" startup-static 5)") ms |"
  fi
  echo "| git (for scale) | $(ms "$(field "$CSV" startup-git 2)") ms | $(ms "$(field "$CSV" startup-git 5)") ms |"
  echo
  echo "Commands (SRC is a repo generated by \`dehub-bench\`, TEMPLATE a bare repo holding its root, or main~1 for one commit):"
  echo
  echo '```sh'
  echo "make bench                       # or: bash bench/hook-bench.sh \"\$(swift build -c release --show-bin-path)\""
  echo "dehub-bench generate-ssh --commits $N --out SRC    # generate-pgp --gnupghome H --key ID for OpenPGP"
  echo "git init --bare TEMPLATE && git -C SRC push TEMPLATE ROOT:refs/heads/main && dehub install-hook --repo TEMPLATE"
  echo "hyperfine --warmup $WARMUP --runs $RUNS --prepare 'rm -rf B && cp -a TEMPLATE B' 'git -C SRC push -q B main'"
  echo "hyperfine -N --warmup 20 --runs 200 'dehub --version'"
  echo '```'
  echo
  echo "Targets (issue 3): a 300-commit push with the hook ≤ 1.5× the push without; one commit: the hook adds ≤ 10 ms."
} > "$SECTION"
replace_section "$REPO_ROOT/BENCHMARKS.md" hook-bench "$SECTION"
cat "$SECTION"
