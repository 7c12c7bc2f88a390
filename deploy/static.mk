# The static hook binary (deploy/README-static.md). Included by the top-level Makefile.
#   make static        build dist/dehub: Swift runtime, Foundation and the C libraries linked in
#   make static-check  verify dist/dehub (linkage, size, start-up) and run the smoke test
# Paths are relative to the including Makefile's directory, the repository root.

STATIC_BINARY ?= dist/dehub

.PHONY: static static-check

static:
	deploy/static-build.sh

static-check:
	deploy/static-build.sh --check
	deploy/static-smoke.sh $(STATIC_BINARY)
