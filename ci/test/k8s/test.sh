#!/usr/bin/env bash
# Build (cached), start a throwaway test cluster, run the cluster suite against it, stop it; exit with the suite's status.
#   bash ci/test/k8s/test.sh [extra go test flags, e.g. -run Lease]
# Writes ${REPORTS_DIR:-reports}/k8s-junit.xml (relative to the current directory).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPORTS_DIR="${REPORTS_DIR:-reports}"
mkdir -p "$REPORTS_DIR"
REPORTS_DIR="$(cd "$REPORTS_DIR" && pwd)"

t0=$SECONDS
bash "$HERE/cluster.sh" build

K8S_STATE_DIR="$(mktemp -d -t helloagents-k8s.XXXXXX)"
export K8S_STATE_DIR
trap 'bash "$HERE/cluster.sh" down' EXIT
t1=$SECONDS
bash "$HERE/cluster.sh" up
echo "[k8s] cluster up in $((SECONDS - t1))s"
export KUBECONFIG="$K8S_STATE_DIR/kubeconfig"

cd "$HERE/build"
t2=$SECONDS
set +e
GOTOOLCHAIN=local go test -count=1 -timeout 10m -parallel 16 -json "$@" ./clustertest/ \
  | GOTOOLCHAIN=local go run ./cmd/junit -o "$REPORTS_DIR/k8s-junit.xml"
status=${PIPESTATUS[0]}
set -e
echo "[k8s] suite exited $status in $((SECONDS - t2))s (total $((SECONDS - t0))s); JUnit: $REPORTS_DIR/k8s-junit.xml"
exit "$status"
