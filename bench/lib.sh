# Shared by bench/verify-bench.sh and bench/hook-bench.sh: an isolated environment, an OpenPGP key,
# history generation, timing (hyperfine, or a date +%s%N loop) and writing a section of BENCHMARKS.md.
# Source it after setting BIN (the directory with the release `dehub` and `dehub-bench`).

set -euo pipefail

RUNS=${BENCH_RUNS:-5}
WARMUP=${BENCH_WARMUP:-1}
DEHUB="$BIN/dehub"
GENERATE="$BIN/dehub-bench"
for tool in "$DEHUB" "$GENERATE"; do
  [ -x "$tool" ] || { echo "bench: $tool not found; run: swift build -c release --product dehub --product dehub-bench" >&2; exit 1; }
done

# On tmpfs when there is one: the generator writes one loose object per file (about 4 per commit), which costs
# ~75 µs per file on this machine's virtual disk and ~2 µs on tmpfs. The path stays short: gpg-agent's socket
# lives in GNUPGHOME and must fit in 108 bytes.
if [ -z "${BENCH_TMPDIR:-}" ]; then
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then BENCH_TMPDIR=/dev/shm; else BENCH_TMPDIR=${TMPDIR:-/tmp}; fi
fi
WORK=$(mktemp -d "$BENCH_TMPDIR/dehub-bench.XXXXXX")
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
export HOME="$WORK/home" GIT_CONFIG_GLOBAL="$WORK/home/.gitconfig" GIT_CONFIG_NOSYSTEM=1 GNUPGHOME="$WORK/gnupg" LC_ALL=C
mkdir -p "$HOME" "$GNUPGHOME"; chmod 700 "$GNUPGHOME"
git config --global user.name Bench; git config --global user.email bench@bench.example
git config --global init.defaultBranch main
cleanup() {
  gpgconf --homedir "$GNUPGHOME" --kill all >/dev/null 2>&1 || true
  if [ -z "${BENCH_KEEP:-}" ]; then rm -rf "$WORK"; else echo "bench: files kept in $WORK" >&2; fi
}
trap cleanup EXIT

say() { printf '\n== %s\n' "$*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }

# Makes an Ed25519 OpenPGP signing key (ultimately trusted, so git shows G) and prints its long id.
make_pgp_key() {
  gpg --batch --no-tty --passphrase '' --quick-gen-key 'Bench <bench@bench.example>' ed25519 sign never 2>/dev/null
  gpg --batch --list-secret-keys --with-colons | awk -F: '/^sec/ { print $5; exit }'
}

# generate ssh|pgp N DIR: builds the history, packs it like a real clone, prints the root commit.
generate() {
  local kind=$1 n=$2 dir=$3 root
  if [ "$kind" = ssh ]; then
    root=$("$GENERATE" generate-ssh --commits "$n" --out "$dir")
  else
    root=$("$GENERATE" generate-pgp --commits "$n" --gnupghome "$GNUPGHOME" --key "$PGP_KEY" --out "$dir")
  fi
  git -C "$dir" repack -adq
  echo "$root"
}

# Checks that dehub verifies ROOT..main of DIR and that git sees N good signatures (G; not with BENCH_SKIP_GIT=1).
check_history() {
  local dir=$1 root=$2 n=$3 counts
  "$DEHUB" -C "$dir" verify --range "$root..main" --branch main -q \
    || die "dehub does not verify $dir ($root..main)"
  # git's own check spawns ssh-keygen twice per commit (minutes for 10,000): skipped with the git timings.
  [ -n "${BENCH_SKIP_GIT:-}" ] && return 0
  counts=$(git -C "$dir" log --format=%G? "$root..main" | sort | uniq -c | tr -s ' ' | sed 's/^ //')
  [ "$counts" = "$n G" ] || die "git log --format=%G? over $dir: expected '$n G', got '$counts'"
}

# measure CSV NAME PREPARE COMMAND [hyperfine options]: appends "name,median_s,mean_s,stddev_s,cpu_s" to CSV,
# cpu_s being the mean user + system time of the command and its children (hyperfine only; the loop writes nan).
# On a shared machine the CPU time is the steadier figure: wall time grows with other processes' load.
# PREPARE runs before every timed run ('' for none). COMMAND runs through sh -c unless BENCH_NO_SHELL=1.
measure() {
  local csv=$1 name=$2 prepare=$3 command=$4; shift 4
  if command -v hyperfine >/dev/null; then
    local out="$WORK/hf.csv" shell=()
    [ "${BENCH_NO_SHELL:-}" = 1 ] && shell=(-N)
    local prep=()
    [ -n "$prepare" ] && prep=(--prepare "$prepare")
    hyperfine "${shell[@]}" --style basic --warmup "$WARMUP" --runs "$RUNS" "${prep[@]}" "$@" \
      --export-csv "$out" -n "$name" "$command" >&2
    awk -F, -v name="$name" 'NR == 2 { printf "%s,%s,%s,%s,%.6f\n", name, $4, $2, $3, $5 + $6 }' "$out" >> "$csv"
  else
    local times="$WORK/times" i start end
    : > "$times"
    for ((i = 0; i < WARMUP + RUNS; i++)); do
      [ -n "$prepare" ] && sh -c "$prepare"
      start=$(date +%s%N); sh -c "$command" >/dev/null; end=$(date +%s%N)
      [ "$i" -ge "$WARMUP" ] && echo $(( end - start )) >> "$times"
    done
    sort -n "$times" | awk -v name="$name" '
      { t[NR] = $1 / 1e9; sum += t[NR]; sq += t[NR] * t[NR] }
      END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; mean = sum / NR
            sd = NR > 1 ? sqrt((sq - NR * mean * mean) / (NR - 1)) : 0
            printf "%s,%.6f,%.6f,%.6f,nan\n", name, m, mean, sd }' >> "$csv"
    echo "$name: $(tail -1 "$csv")" >&2
  fi
}

# field CSV NAME COLUMN: one value (2 median, 3 mean, 4 stddev, 5 CPU) of a measured row, in seconds.
field() { awk -F, -v name="$2" -v c="$3" '$1 == name { print $c }' "$1"; }

machine() {
  local cpu
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown)
  echo "$(nproc) cores ($cpu), $(uname -sr), git $(git --version | awk '{print $3}'), $(gpg --version | head -1), $(ssh -V 2>&1 | cut -d, -f1), $(hyperfine --version 2>/dev/null || echo 'no hyperfine: date loop');"
  echo "files on $(df -PT "$WORK" | awk 'NR == 2 { print $2 }'); load average $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown) at the end"
}

# replace_section FILE NAME CONTENT_FILE: puts CONTENT_FILE between the markers of section NAME in FILE
# (appending the section when it is missing), so each benchmark script rewrites only its own part.
replace_section() {
  local file=$1 name=$2 content=$3 begin="<!-- $2:begin -->" end="<!-- $2:end -->"
  [ -f "$file" ] || printf '# Benchmarks\n\nFigures from `make bench` (bench/). Each section is rewritten by the script that measures it.\n' > "$file"
  if grep -qF "$begin" "$file"; then
    awk -v begin="$begin" -v end="$end" -v content="$content" '
      $0 == begin { print; while ((getline line < content) > 0) print line; skip = 1; next }
      $0 == end { skip = 0 }
      !skip { print }' "$file" > "$file.new"
    mv "$file.new" "$file"
  else
    { echo; echo "$begin"; cat "$content"; echo "$end"; } >> "$file"
  fi
}
