#!/usr/bin/env bash
# `make run`: starts dehub-host on its defaults with a demo repository whose main holds a verified history.
# Usage: scripts/run-host.sh BIN_DIR   (BIN_DIR holds dehub and dehub-host)
# Everything lives in ./dehub-data (DEHUB_DATA to change it); delete it to start over.
# The steps it prints are scripts/walkthrough.txt, which a test runs against a real host (RunWalkthroughTests);
# DEHUB_NO_SERVE=1 makes the demo repository and prints them without starting the host (that test uses it).
set -euo pipefail
BIN=$(cd "${1:?usage: run-host.sh BIN_DIR}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${DEHUB_DATA:-$PWD/dehub-data}
SSH_ADDR=${DEHUB_SSH:-127.0.0.1:2222}
HTTP_ADDR=${DEHUB_HTTP:-127.0.0.1:8080}
KEYS="$DATA/demo-keys"
mkdir -p "$DATA"

if [ ! -d "$DATA/repos/demo.git" ]; then
    echo "==> first start: making the demo repository (accounts alice and bob; main needs both)"
    mkdir -p "$KEYS"; chmod 700 "$KEYS"
    for who in admin alice bob; do
        [ -f "$KEYS/$who" ] || ssh-keygen -q -t ed25519 -N '' -C "$who@demo" -f "$KEYS/$who"
    done
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/dehub-run.XXXXXX")
    trap 'rm -rf "$WORK"' EXIT
    export GIT_CONFIG_GLOBAL="$WORK/gitconfig" GIT_CONFIG_NOSYSTEM=1
    git config --global user.name "dehub demo"; git config --global user.email demo@example.com
    "$BIN/dehub" init "$WORK/demo" >/dev/null
    cd "$WORK/demo"
    mkdir .dehub
    cp "$KEYS/alice.pub" .dehub/alice.pub; cp "$KEYS/bob.pub" .dehub/bob.pub
    cat > .dehub/config.yml <<'YAML'
# Who may change main, and how: any change needs credentials from both alice and bob.
# Credentials sign this project's root commit with the change (docs/format.md §6.7): they cannot be replayed elsewhere.
bind_credentials: true
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
- action: deny
  filters:
  - type: branch
    pattern: main
YAML
    printf '# demo\n\nA dehub project: every commit on main carries the credentials its rules ask for.\n' > README.md
    git add -A
    git symbolic-ref HEAD refs/heads/bootstrap
    "$BIN/dehub" commit --as alice --sign-key "$KEYS/alice" change --descr "Initial config: alice and bob" >/dev/null
    root=$(git rev-parse HEAD)
    "$BIN/dehub" commit --as bob --sign-key "$KEYS/bob" credential --start "$root" >/dev/null
    "$BIN/dehub" combine --start "$root" --end bootstrap --onto main >/dev/null
    git switch -q main
    git switch -q -c hello
    echo "Hello from a verified history." > hello.txt; git add hello.txt
    "$BIN/dehub" commit --as alice --sign-key "$KEYS/alice" change --descr "Add hello.txt" >/dev/null
    start=$(git rev-parse HEAD)
    "$BIN/dehub" commit --as bob --sign-key "$KEYS/bob" credential --start "$start" >/dev/null
    "$BIN/dehub" combine --start "$start" --end hello --onto main >/dev/null
    "$BIN/dehub" verify --all --branch main -q
    # A thread under review, for the web view's Threads page: alice's change and bob's question; it needs bob's credential.
    git switch -q -c greeting
    echo "Hello again, in a thread." > greeting.txt; git add greeting.txt
    "$BIN/dehub" commit --as alice --sign-key "$KEYS/alice" change --descr "Add greeting.txt" >/dev/null
    "$BIN/dehub" commit --as bob --sign-key "$KEYS/bob" comment --comment "Should it say hello to the reviewers too?" >/dev/null
    git switch -q main
    cd - >/dev/null
    "$BIN/dehub-host" repo create demo --data "$DATA" --hook "$BIN/dehub" >/dev/null
    # Seed the verified history server-side (a fetch into the bare repository runs no hook).
    git --git-dir "$DATA/repos/demo.git" fetch -q "$WORK/demo" main:main greeting:greeting
    rm -rf "$WORK"; trap - EXIT
fi

ssh_port=${SSH_ADDR##*:}
walkthrough=$(<"$HERE/walkthrough.txt")
for pair in "BIN=$BIN" "HTTP=$HTTP_ADDR" "SSH_HOST=${SSH_ADDR%:*}" "SSH_PORT=$ssh_port" "KEYS=$KEYS"; do
    walkthrough=${walkthrough//"{{${pair%%=*}}}"/"${pair#*=}"}
done
if [ -n "${DEHUB_NO_SERVE:-}" ]; then
    printf '\n==> the demo is ready in %s (DEHUB_NO_SERVE: the host is not started)\n\n%s\n\n' "$DATA" "$walkthrough"
    exit 0
fi
printf '\n==> dehub-host is starting on ssh://%s and http://%s (data: %s)\n==> the web view: http://%s/demo\n\n%s\n\n' \
    "$SSH_ADDR" "$HTTP_ADDR" "$DATA" "$HTTP_ADDR" "$walkthrough"
exec "$BIN/dehub-host" serve --data "$DATA" --ssh "$SSH_ADDR" --http "$HTTP_ADDR" --hook "$BIN/dehub" --admin-key "$KEYS/admin.pub"
