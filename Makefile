# dehub: `make run` starts the host with a demo repo; `make test` runs every test. Both install what is
# missing (Debian packages, with apt-get) and build first.

SWIFT ?= swift
DEB_PACKAGES := time git libgit2-dev libgpgme-dev libyaml-dev gnupg gpg-agent openssh-client pkg-config zlib1g-dev curl libcmark-gfm-dev libcmark-gfm-extensions-dev libssh-dev
# The cluster suites start real etcd members (docs/cluster.md).
DEB_PACKAGES += etcd-server
BENCH_PACKAGES := hyperfine lighttpd
# OpenSSH's sshd, the reference for the host's SSH figures (bench/host-bench.sh starts its own on a free port). Only
# on request: on a machine with an init system the package also starts an sshd on port 22.
ifeq ($(BENCH_WITH_SSHD),1)
BENCH_PACKAGES += openssh-server
endif
# What only the tests need: the web view's browser suite (DehubWebTests) drives headless Chromium.
TEST_PACKAGES := chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build test test-host run demo bench bench-deps fmt lint clean

all: build

# Installs only what is missing; `apt-get update` runs once, and only when something is.
deps:
	@missing=""; for p in $(DEB_PACKAGES) $(EXTRA_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "swift not found: install the Swift 6.3 toolchain (https://swift.org/install)"; exit 1; }

build: deps
	$(SWIFT) build

# Every suite that runs the dehub binary as a hook or as git-remote-dehub: by name, so a new Hook*, PrePush* or
# RemoteHelper* suite is never left out of the static run.
STATIC_HOOK_SUITES := ^DehubCLITests\.(Hook|PrePush|RemoteHelper)|^DehubHostTests\.EndToEnd/RealHookTests

test: deps
	$(MAKE) deps EXTRA_PACKAGES="$(TEST_PACKAGES)"
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) static
	@echo "==> the hook suites again, against the static binary (dist/dehub), alone and behind dehub-host"
	DEHUB_BINARY=$(CURDIR)/dist/dehub $(SWIFT) test --skip-build --filter '$(STATIC_HOOK_SUITES)'

# Only the host's suites (their end-to-end part runs in `make test` too).
test-host: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --filter DehubHostTests

run: deps
	$(SWIFT) build --product dehub
	$(SWIFT) build --product dehub-host
	bash scripts/run-host.sh "$$($(SWIFT) build --show-bin-path)"

# A tour of the command line in a temporary directory (no server).
demo: deps
	$(SWIFT) build --product dehub
	bash scripts/demo.sh "$$($(SWIFT) build --show-bin-path)/dehub"

# What the benchmarks need besides the build: hyperfine, and lighttpd to run git http-backend (bench/host-bench.sh);
# `make bench BENCH_WITH_SSHD=1` also installs openssh-server.
bench-deps:
	$(MAKE) deps EXTRA_PACKAGES="$(BENCH_PACKAGES)"

# BENCH_BEFORE_BIN=DIR (a release dehub built by `bash bench/build-before.sh REV DIR`) adds its figures, measured in
# the same run, to the verify table: the before/after comparison.
bench: bench-deps
	$(SWIFT) build -c release --product dehub
	$(SWIFT) build -c release --product dehub-bench
	$(SWIFT) build -c release --product dehub-host
	bash bench/verify-bench.sh "$$($(SWIFT) build -c release --show-bin-path)"
	DEHUB_STATIC=$$([ -x dist/dehub ] && echo $(CURDIR)/dist/dehub) bash bench/hook-bench.sh "$$($(SWIFT) build -c release --show-bin-path)"
	bash bench/host-bench.sh "$$($(SWIFT) build -c release --show-bin-path)"

fmt:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

# The style check CI runs first (`.swift-format`); `make fmt` fixes what it finds.
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

clean:
	rm -rf .build .build-static dist

-include deploy/static.mk
