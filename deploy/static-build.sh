#!/usr/bin/env bash
# Builds the self-contained `dehub` binary for x86-64 Linux git servers (see deploy/README-static.md).
#
#   deploy/static-build.sh           check prerequisites, build, strip into dist/dehub, verify, measure
#   deploy/static-build.sh --check   only verify and measure an existing dist/dehub
#
# Environment:
#   DEHUB_STATIC_SCRATCH   build folder (default: .build-static)
#   DEHUB_STATIC_OUT       stripped binary (default: dist/dehub)
#   DEHUB_STATIC_RUNS      hyperfine runs for the start-up median (default: 100; 0 skips the measurement)
#   DEHUB_STATIC_STARTUP_WARN_MS  warn (not fail) when the median start-up is above this (default: 10)
#
# Exit codes: 0 ok, 1 build or verification failed, 2 a prerequisite is missing.
set -euo pipefail

readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly SCRATCH="${DEHUB_STATIC_SCRATCH:-.build-static}"
readonly OUT="${DEHUB_STATIC_OUT:-dist/dehub}"
readonly RUNS="${DEHUB_STATIC_RUNS:-100}"
readonly STARTUP_WARN_MS="${DEHUB_STATIC_STARTUP_WARN_MS:-10}"
readonly ARCHIVE_DIR="/usr/lib/x86_64-linux-gnu"
# The Debian package that ships each static archive. Package.swift's list (LINK_MODE=static) is the one
# checked; an archive missing here is still checked, only without a package name.
readonly ARCHIVE_PACKAGES=(
    "libgit2.a:libgit2-dev"
    "libmbedtls.a:libmbedtls-dev" "libmbedx509.a:libmbedtls-dev" "libmbedcrypto.a:libmbedtls-dev"
    "libhttp_parser.a:libhttp-parser-dev"
    "libssh2.a:libssh2-1-dev"
    "libssl.a:libssl-dev" "libcrypto.a:libssl-dev"
    "libpcre2-8.a:libpcre2-dev"
    "libz.a:zlib1g-dev"
    "libgpgme.a:libgpgme-dev" "libassuan.a:libassuan-dev" "libgpg-error.a:libgpg-error-dev"
    "libyaml.a:libyaml-dev"
)
# What `ldd` may list for a dynamically linked result: the C library's own parts and the loader.
readonly ALLOWED_SHARED='^(linux-vdso\.so|libc\.so|libm\.so|libpthread\.so|libdl\.so|librt\.so|/lib64/ld-linux-x86-64\.so|ld-linux-x86-64\.so)'

say() { printf '%s\n' "$*"; }
fail() { printf 'static-build: %s\n' "$*" >&2; exit 1; }

check_prerequisites() {
    local missing=() entry archive package
    [[ "$(uname -m)" == "x86_64" ]] || { say "static-build: builds for x86-64 Linux only (this is $(uname -m))" >&2; exit 2; }
    command -v swift >/dev/null || { say "static-build: swift not found on PATH (Swift 6.3 toolchain)" >&2; exit 2; }
    command -v strip >/dev/null || missing+=("binutils (strip)")
    command -v pkg-config >/dev/null || missing+=("pkg-config")
    local archives
    archives="$(grep -oE '"lib[A-Za-z0-9_+-]+\.a"' Package.swift | tr -d '"' | sort -u)"
    [[ -n "$archives" ]] || fail "found no static archives (\"lib*.a\") in Package.swift"
    for archive in $archives; do
        [[ -f "$ARCHIVE_DIR/$archive" ]] && continue
        package="the -dev package that ships it"
        for entry in "${ARCHIVE_PACKAGES[@]}"; do
            [[ "${entry%%:*}" == "$archive" ]] && package="${entry##*:}"
        done
        missing+=("$package (for $ARCHIVE_DIR/$archive)")
    done
    local swift_static
    swift_static="$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")/lib/swift_static/linux"
    [[ -f "$swift_static/static-executable-args.lnk" ]] \
        || missing+=("the toolchain's static Swift runtime ($swift_static/static-executable-args.lnk)")
    if ((${#missing[@]})); then
        say "static-build: missing prerequisites:" >&2
        printf '  - %s\n' "${missing[@]}" >&2
        say "install with: apt-get install -y libgit2-dev libgpgme-dev libyaml-dev pkg-config binutils" >&2
        say "(libgit2-dev and libgpgme-dev pull in the other -dev packages listed above)" >&2
        exit 2
    fi
}

build() {
    local log="$SCRATCH/static-build.log" started=$SECONDS
    mkdir -p "$SCRATCH" "$(dirname "$OUT")"
    say "==> LINK_MODE=static swift build (release, static stdlib, static executable) into $SCRATCH"
    # --manifest-cache none: the manifest reads LINK_MODE, so never reuse (or leave behind) a cached
    # evaluation from a dynamic build.
    # --wrap: keep crtbeginT.o from registering .eh_frame with the unwinder (Sources/CGSSStub/static_unwind.c);
    # without it an async `main` costs 20-25 ms of start-up. --wrap=mbedtls_x509_crt_parse_*: libgit2 does not parse
    # the CA bundle at init (Sources/CGSSStub/static_no_ca.c; dehub makes no network connection), ~6.7 ms less per run.
    # --wrap=libssh2_init and git_mbedtls_stream_global_init: nor does it set up its transports
    # (Sources/CGSSStub/static_no_transports.c).
    if ! LINK_MODE=static swift build -c release --product dehub --scratch-path "$SCRATCH" \
        --manifest-cache none --static-swift-stdlib -Xswiftc -static-executable \
        -Xlinker --wrap=__register_frame_info -Xlinker --wrap=__deregister_frame_info \
        -Xlinker --wrap=mbedtls_x509_crt_parse_file -Xlinker --wrap=mbedtls_x509_crt_parse_path \
        -Xlinker --wrap=libssh2_init -Xlinker --wrap=git_mbedtls_stream_global_init \
        2>&1 | tee "$log"; then
        fail "swift build failed (log: $log)"
    fi
    say "==> build took $((SECONDS - started)) s"
    local warnings
    warnings="$(grep -oE "Using '[a-z_]+' in statically linked applications" "$log" | sort -u || true)"
    if [[ -n "$warnings" ]]; then
        say "==> expected glibc warnings (NSS and dlopen; see deploy/README-static.md, 'Run-time needs'):"
        sed "s/^/    /" <<<"$warnings"
    fi
    local built="$SCRATCH/release/dehub"
    [[ -x "$built" ]] || fail "no binary at $built"
    strip -o "$OUT.tmp" "$built"
    mv -f "$OUT.tmp" "$OUT"
    say "==> stripped $built -> $OUT"
    # git runs git-remote-dehub for dehub:: URLs: the same binary under that name (a hard link).
    ln -f "$OUT" "$(dirname "$OUT")/git-remote-dehub"
    say "==> linked $(dirname "$OUT")/git-remote-dehub -> $OUT"
}

verify_linkage() {
    [[ -x "$OUT" ]] || fail "$OUT does not exist; run 'make static' first"
    say "==> ldd $OUT"
    local ldd_out
    ldd_out="$(ldd "$OUT" 2>&1 || true)"
    printf '    %s\n' "$ldd_out"
    if grep -q 'not a dynamic executable' <<<"$ldd_out"; then
        return 0
    fi
    local extra
    extra="$(awk '{print $1}' <<<"$ldd_out" | grep -vE "$ALLOWED_SHARED" || true)"
    [[ -z "$extra" ]] || fail "$OUT needs shared libraries beyond the C library: $(tr '\n' ' ' <<<"$extra")"
}

measure() {
    local bytes
    bytes="$(stat -c %s "$OUT")"
    say "==> size: $bytes bytes ($(awk -v b="$bytes" 'BEGIN { printf "%.1f MiB", b / 1048576 }'))"
    "$OUT" --version >/dev/null || fail "$OUT --version failed"
    if ((RUNS == 0)); then return 0; fi
    if ! command -v hyperfine >/dev/null; then
        say "==> start-up: hyperfine not installed (apt-get install hyperfine); skipped"
        return 0
    fi
    local json="$SCRATCH/startup.json"
    mkdir -p "$SCRATCH"
    hyperfine -N --warmup 5 -r "$RUNS" --style basic --export-json "$json" "$OUT --version" \
        >/dev/null 2>"$SCRATCH/startup.err" || { cat "$SCRATCH/startup.err" >&2; fail "hyperfine failed"; }
    local median
    median="$(jq -r '.results[0].median * 1000 | . * 100 | round / 100' "$json" 2>/dev/null \
        || python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["results"][0]["median"]*1000, 2))' "$json")"
    say "==> start-up: median ${median} ms over $RUNS runs (hyperfine -N --warmup 5 -r $RUNS '$OUT --version')"
    if awk -v m="$median" -v limit="$STARTUP_WARN_MS" 'BEGIN { exit !(m > limit) }'; then
        say "==> WARNING: start-up above ${STARTUP_WARN_MS} ms; see deploy/README-static.md, 'Start-up and the unwinder'"
    fi
}

main() {
    cd "$ROOT"
    case "${1:-}" in
        "") check_prerequisites; build ;;
        --check) ;;
        -h | --help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) say "usage: deploy/static-build.sh [--check]" >&2; exit 2 ;;
    esac
    verify_linkage
    measure
}

main "$@"
