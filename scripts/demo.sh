#!/usr/bin/env bash
# A short end-to-end tour of dehub in a temporary directory: accounts, signed changes, a thread with a comment
# and a credential, combine onto main, verification, a two-signature release, and refusals.
# Usage: scripts/demo.sh PATH/TO/dehub
set -euo pipefail
DEHUB=${1:-dehub}
case "$DEHUB" in */*) DEHUB=$(cd "$(dirname "$DEHUB")" && pwd)/$(basename "$DEHUB") ;; esac
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dehub-demo.XXXXXX")
export HOME="$WORK/home" GIT_CONFIG_GLOBAL="$WORK/home/.gitconfig" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME/.ssh"; chmod 700 "$HOME/.ssh"
git config --global user.name "Demo"; git config --global user.email demo@example.com
git config --global init.defaultBranch main
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

say "keys for alice and bob (ssh-keygen -t ed25519)"
ssh-keygen -q -t ed25519 -N '' -C alice -f "$WORK/alice"
ssh-keygen -q -t ed25519 -N '' -C bob -f "$WORK/bob"

say "a repository whose config needs 2 of alice and bob on main"
run "$DEHUB" init "$WORK/project"
cd "$WORK/project"
mkdir .dehub
cp "$WORK/alice.pub" .dehub/alice.pub; cp "$WORK/bob.pub" .dehub/bob.pub
cat > .dehub/config.yml <<YAML
bind_credentials: true       # credentials sign this project's root commit too: no replay in another project
accounts:
- id: alice
  signifiers:
  - type: ssh_public_key_file
    path: .dehub/alice.pub
- id: bob
  signifiers:
  - type: ssh_public_key_file
    path: .dehub/bob.pub
access_controls:
- action: allow
  filters:
  - type: branch
    pattern: main
  - type: payload_type
    payload_type: change
  - type: signature
    account_ids: [alice, bob]
    count: 2
- action: deny               # without this, default #3 would let one signature through
  filters:
  - type: branch
    pattern: main
- action: allow              # releases: tags v* need both signatures (docs/format.md §13)
  filters:
  - type: tag
    pattern: v*
  - type: signature
    account_ids: [alice, bob]
    count: 2
YAML
git add .dehub
say "the root of trust needs what main's rules need: alice proposes it on a thread, bob accredits it, combine"
git symbolic-ref HEAD refs/heads/bootstrap
run "$DEHUB" commit --as alice --sign-key "$WORK/alice" change --descr "Initial config: alice and bob"
ROOT=$(git rev-parse HEAD)
run "$DEHUB" commit --as bob --sign-key "$WORK/bob" credential --start "$ROOT"
run "$DEHUB" combine --start "$ROOT" --end bootstrap --onto main
git switch -q main; git branch -q -D bootstrap
run "$DEHUB" verify

say "a thread: alice proposes a change"
git switch -q -c feature
echo "hello" > hello.txt; git add hello.txt
run "$DEHUB" commit --as alice --sign-key "$WORK/alice" change --descr "Add hello.txt"
START=$(git rev-parse HEAD)
say "bob comments, then accredits the change"
run "$DEHUB" commit --as bob --sign-key "$WORK/bob" comment --comment "Looks good to me"
run "$DEHUB" commit --as bob --sign-key "$WORK/bob" credential --start "$START"
run "$DEHUB" verify --range main..feature

say "alice's change alone is not enough for main (needs 2 of alice, bob):"
run "$DEHUB" verify --rev "$START" --branch main || true

say "combine the thread onto main: one change commit carrying both credentials"
run "$DEHUB" combine --start "$START" --end feature --onto main
run "$DEHUB" verify --all --branch main
run git log --format='%h %s' main

say "a server guarded by the hook"
run "$DEHUB" init --bare "$WORK/server.git"
run "$DEHUB" install-hook --repo "$WORK/server.git"
git remote add origin "$WORK/server.git"
run git push -q origin main

say "a release: the tag v1.0 needs both signatures too"
run "$DEHUB" tag v1.0 --descr "Hello 1.0" --as alice --sign-key "$WORK/alice"
run git push origin refs/tags/v1.0 || echo "(refused: bob has not signed yet)"
run "$DEHUB" tag v1.0 --add-credential --as bob --sign-key "$WORK/bob"
run git push origin refs/tags/v1.0
run "$DEHUB" verify --tag v1.0

say "the hook refuses what the rules do not allow"
git switch -q main
echo "sneaky" >> hello.txt; git add hello.txt
git commit -q -m "Unsigned change"
run git push origin main || echo "(refused, as it should be)"
echo
echo "demo files are in $WORK"
