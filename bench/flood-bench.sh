#!/usr/bin/env bash
# Measures the hook's worst cases per push (issue 9) with a release dehub installed as a copy in hooks/:
#   A. 2,000 thread commits, each carrying 256 copies of a real credential made for another fingerprint, on a
#      plain git server (no DEHUB_PUSHER_ROLE): refused at the first commit (more than 32 credentials);
#   B. the same push from a stranger behind the host (DEHUB_PUSHER_ROLE=other): refused by dehub.strangerMaxCommits;
#   C. the largest push a stranger can make that is accepted under the defaults: 1,000 replayed comment commits,
#      each with 32 copies of a valid credential (checked once per push);
#   D. one commit with a 300 MB message, the hook run alone on git's quarantine environment;
#   E. FLOOD_ANON_COMMITS (40) commits from a stranger, each with 31 distinct valid anonymous OpenPGP credentials
#      (the costliest content: no credential repeats): the CPU per credential, to scale to the limits.
# Prints the hook's wall time, CPU time (user + system) and peak resident memory for each (GNU time).
# Usage: bench/flood-bench.sh PATH/TO/dehub   Environment: FLOOD_COMMITS (2000), FLOOD_COPIES (256), BENCH_KEEP=1.
set -euo pipefail
DEHUB=$(cd "$(dirname "${1:?usage: bench/flood-bench.sh PATH/TO/dehub}")" && pwd)/$(basename "$1")
N=${FLOOD_COMMITS:-2000}
COPIES=${FLOOD_COPIES:-256}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dehub-flood.XXXXXX")
[ -z "${BENCH_KEEP:-}" ] && trap 'rm -rf "$WORK"' EXIT
export HOME="$WORK/home" GIT_CONFIG_GLOBAL="$WORK/home/.gitconfig" GIT_CONFIG_NOSYSTEM=1 LC_ALL=C
mkdir -p "$HOME"
git config --global user.name Flood; git config --global user.email flood@example.com
git config --global init.defaultBranch main
ZERO=0000000000000000000000000000000000000000
TIMES="$WORK/times"

ssh-keygen -q -t ed25519 -N '' -C alice -f "$WORK/alice"
ssh-keygen -q -t ed25519 -N '' -C bob -f "$WORK/bob"
"$DEHUB" init -q "$WORK/work" >/dev/null 2>&1 || "$DEHUB" init "$WORK/work" >/dev/null
cd "$WORK/work"
mkdir .dehub
cat > .dehub/config.yml <<YAML
accounts:
- id: alice
  signifiers:
  - type: ssh_public_key
    body: '$(cat "$WORK/alice.pub")'
- id: bob
  signifiers:
  - type: ssh_public_key
    body: '$(cat "$WORK/bob.pub")'
YAML
git add .dehub
"$DEHUB" commit --as alice --sign-key "$WORK/alice" change --descr "Initial config" >/dev/null
git init -q --bare "$WORK/server.git"
"$DEHUB" install-hook --copy --repo "$WORK/server.git" >/dev/null
git push -q "$WORK/server.git" main
# The hook, timed: GNU time around the copied binary.
mv "$WORK/server.git/hooks/pre-receive" "$WORK/server.git/hooks/dehub-pre-receive"
printf '#!/bin/sh\nexec /usr/bin/time -o "%s" -f "%%e %%U %%S %%M" "%s" hook pre-receive\n' \
  "$TIMES" "$WORK/server.git/hooks/dehub-pre-receive" > "$WORK/server.git/hooks/pre-receive"
chmod +x "$WORK/server.git/hooks/pre-receive"

git switch -q -c flood
"$DEHUB" commit --as bob --sign-key "$WORK/bob" comment --comment "Something bob said" >/dev/null
BOB=$(git rev-parse HEAD)
"$DEHUB" commit --as alice --sign-key "$WORK/alice" comment --comment "Copied credentials" >/dev/null
COPIED=$(git rev-parse HEAD)
git reset -q --hard main

message() { git cat-file commit "$1" | sed '1,/^$/d'; }
credential() { message "$1" | sed -n '/^credentials:/,$p' | sed 1d; }
# payload REV COPIES CREDENTIAL_REV: REV's message with COPIES copies of CREDENTIAL_REV's credential.
payload() {
  message "$1" | sed '/^credentials:/,$d'
  echo "credentials:"
  local item; item=$(credential "$3")
  for ((i = 0; i < $2; i++)); do printf '%s\n' "$item"; done
}
# flood MESSAGE_FILE COUNT BRANCH: COUNT commits on top of main, all with the message, via git fast-import.
flood() {
  local file=$1 count=$2 branch=$3 size parent
  size=$(wc -c < "$file"); parent=$(git rev-parse main)
  for ((i = 0; i < count; i++)); do
    printf 'commit refs/heads/%s\ncommitter Flood <flood@example.com> %d +0000\ndata %d\n' "$branch" $((1700000000 + i)) "$size"
    cat "$file"
    if [ "$i" = 0 ]; then printf 'from %s\n\n' "$parent"; else printf '\n'; fi
  done | git fast-import --quiet
}
# report NAME: the last timed hook run.
report() {
  read -r wall user sys rss < <(tail -1 "$TIMES")
  printf '%-58s wall %6.2f s  cpu %6.2f s  peak %7.1f MiB\n' "$1" "$wall" "$(echo "$user + $sys" | bc)" "$(echo "$rss / 1024" | bc -l)"
}
push() { git push "$WORK/server.git" "$@" > "$WORK/push.out" 2>&1 || true; }

payload "$COPIED" "$COPIES" "$BOB" > "$WORK/bad.msg"
flood "$WORK/bad.msg" "$N" flood-bad
push refs/heads/flood-bad
grep -q "more than the limit of 32" "$WORK/push.out" || { cat "$WORK/push.out"; exit 1; }
report "A. $N x $COPIES copied credentials, plain server (refused)"
DEHUB_PUSHER_ROLE=other push refs/heads/flood-bad
grep -q "dehub.strangerMaxCommits" "$WORK/push.out" || { cat "$WORK/push.out"; exit 1; }
report "B. the same from a stranger behind the host (refused)"

payload "$BOB" 32 "$BOB" > "$WORK/good.msg"
flood "$WORK/good.msg" 1000 flood-good
DEHUB_PUSHER_ROLE=other push refs/heads/flood-good
grep -q "1000 commit(s) verified" "$WORK/push.out" || { cat "$WORK/push.out"; exit 1; }
report "C. 1,000 replayed commits x 32 valid credentials (accepted)"

# E. The costliest content a stranger can bring: distinct valid anonymous OpenPGP credentials (the attacker's own
# keys; each signature differs, so none is remembered), 31 a commit next to bob's replayed one.
ANON_COMMITS=${FLOOD_ANON_COMMITS:-40}
export GNUPGHOME="$WORK/gnupg"; mkdir -p "$GNUPGHOME"; chmod 700 "$GNUPGHOME"
echo no-autostart > "$GNUPGHOME/gpg.conf"
gpg-agent --homedir "$GNUPGHOME" --daemon >/dev/null 2>&1 || true
trap 'gpgconf --homedir "$GNUPGHOME" --kill all >/dev/null 2>&1 || true; [ -z "${BENCH_KEEP:-}" ] && rm -rf "$WORK"' EXIT
message "$BOB" | sed -n 's/^fingerprint: //p' | base64 -d > "$WORK/fp.bin"
KEYS=()
for ((j = 0; j < 31; j++)); do
  gpg --batch --passphrase '' --quick-gen-key "Anon $j <anon$j@example.com>" ed25519 sign never 2>/dev/null
  KEYS+=("$(gpg --batch --list-keys --with-colons "anon$j@example.com" 2>/dev/null | awk -F: '/^pub/ { print $5; exit }')")
  gpg --batch --armor --export "${KEYS[$j]}" | awk '{ print length($0) ? "    " $0 : "" }' > "$WORK/anon$j.asc"
done
BOB_ITEM=$(credential "$BOB")
parent=$(git rev-parse main)
for ((i = 0; i < ANON_COMMITS; i++)); do
  {
    message "$BOB" | sed '/^credentials:/,$d'
    echo "credentials:"
    printf '%s\n' "$BOB_ITEM"
    for ((j = 0; j < 31; j++)); do
      body=$(gpg --batch -u "${KEYS[$j]}" --sig-notation "n@example.com=$i" --detach-sign -o - "$WORK/fp.bin" 2>/dev/null | base64 -w0)
      printf -- '- type: pgp_signature\n  pub_key_id: %s\n  pub_key_body: |\n' "${KEYS[$j]}"
      cat "$WORK/anon$j.asc"
      printf '  body: %s\n' "$body"
    done
  } > "$WORK/anon.msg"
  printf 'commit refs/heads/flood-anon\ncommitter Flood <flood@example.com> %d +0000\ndata %d\n' $((1700000000 + i)) "$(wc -c < "$WORK/anon.msg")"
  cat "$WORK/anon.msg"
  if [ "$i" = 0 ]; then printf 'from %s\n\n' "$parent"; else printf '\n'; fi
done | git fast-import --quiet
DEHUB_PUSHER_ROLE=other push refs/heads/flood-anon
grep -q "$ANON_COMMITS commit(s) verified" "$WORK/push.out" || { cat "$WORK/push.out"; exit 1; }
report "E. $ANON_COMMITS commits x 31 distinct anonymous OpenPGP credentials (accepted)"
read -r _ user sys _ < <(tail -1 "$TIMES")
printf '   per anonymous credential: %.3f ms of CPU (%d checks)\n' "$(echo "($user + $sys) * 1000 / ($ANON_COMMITS * 31)" | bc -l)" $((ANON_COMMITS * 31))

Q="$WORK/server.git/objects/tmp_objdir-incoming-bench"
mkdir -p "$Q"
{ printf 'tree %s\nparent %s\nauthor F <f@example.com> 1700000000 +0000\ncommitter F <f@example.com> 1700000000 +0000\n\nBig\n\n' \
    "$(git rev-parse 'main^{tree}')" "$(git rev-parse main)"; head -c 300000000 /dev/zero | tr '\0' a; } \
  | GIT_DIR="$WORK/server.git" GIT_OBJECT_DIRECTORY="$Q" GIT_ALTERNATE_OBJECT_DIRECTORIES="$WORK/server.git/objects" \
    git hash-object -t commit -w --literally --stdin > "$WORK/big.id"
echo "$ZERO $(cat "$WORK/big.id") refs/heads/big" \
  | GIT_DIR="$WORK/server.git" GIT_OBJECT_DIRECTORY="$Q" GIT_ALTERNATE_OBJECT_DIRECTORIES="$WORK/server.git/objects" \
    GIT_QUARANTINE_PATH="$Q" "$WORK/server.git/hooks/pre-receive" > "$WORK/push.out" 2>&1 || true
grep -q "it was not read" "$WORK/push.out" || { cat "$WORK/push.out"; exit 1; }
report "D. one commit with a 300 MB message, hook alone (refused)"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
