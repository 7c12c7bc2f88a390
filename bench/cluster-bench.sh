#!/usr/bin/env bash
# Cluster figures (issue 18), all in one run on this machine: three etcd members and three dehub-host nodes on
# loopback, started and stopped by the benchmark suite itself (Tests/DehubHostTests/ClusterBenchmarkTests.swift):
#   - a one-commit push over HTTP through the cluster against the same push to a single host (target: +15 ms);
#   - the time from the push's return until every replica serves the new tip (median, worst);
#   - a clone through a node that is no replica (it proxies) against a clone straight from a replica (target: 1.1x).
# Usage: bench/cluster-bench.sh [debug|release]   Environment: DEHUB_CLUSTER_BENCH_RUNS (15).
# release: dehub-host and dehub are built in release and driven by the (debug) test bundle (DEHUB_HOST_BINARY,
# DEHUB_BINARY): the tests use @testable imports, which a release build of the test bundle does not allow.
# Needs etcd (Debian: etcd-server). Prints the `bench:` lines; copy them to BENCHMARKS.md ("Cluster").
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${1:-debug}
command -v etcd >/dev/null || { echo "etcd not found (apt-get install etcd-server)" >&2; exit 1; }
swift build --build-tests >/dev/null
TESTS=$(swift build --show-bin-path)
if [ "$CONFIG" = release ]; then
  swift build -c release --product dehub-host >/dev/null
  swift build -c release --product dehub >/dev/null
  RELEASE=$(swift build -c release --show-bin-path)
  export DEHUB_HOST_BINARY="$RELEASE/dehub-host" DEHUB_BINARY="$RELEASE/dehub"
fi
DEHUB_CLUSTER_BENCH=1 "$TESTS/dehubPackageTests.xctest" --testing-library swift-testing --filter ClusterBenchmarkTests 2>&1 \
  | grep -E '^bench:|✘|recorded an issue' || true
