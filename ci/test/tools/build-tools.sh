#!/usr/bin/env bash
# Build the tools the real-tools tests use (Syft, Trivy, cosign; actionlint for the workflow tests) from the Go module
# proxy, pinned by version, into a cache outside the repository: ${HELLOAGENTS_CACHE:-$HOME/.cache/helloagents}/tools/<name>-<version>/<name>.
# Idempotent: a tool whose binary is already there is not rebuilt. Prints one "name path" line per tool on stdout.
#
#   bash ci/test/tools/build-tools.sh            all tools
#   bash ci/test/tools/build-tools.sh syft trivy only these
#
# With trivy, it also prepares a vulnerability DB (the real one comes from ghcr.io, unreachable here): Trivy's own test
# advisories (integration/testdata/fixtures/db/*.yaml of the trivy module, Apache-2.0) loaded by ./trivy-fixture-db into
# <cache>/tools/trivy-db-fixture-<version>/ (use it as trivy --cache-dir with --skip-db-update --offline-scan), and prints
# "trivy-db <dir>" and "trivy-testdata <dir>" (the module's integration/testdata, with the repositories its goldens scanned).
#
# A cold build takes long (Trivy and cosign are large: see docs/release.md for measured times); logs go to
# <cache>/tools/<name>-<version>.log. The go.sum of each module is checked against the public checksum database by `go install`.
#
# Before building, each tool's official release archive is tried (./fetch-release.mjs, pinned by digest in
# ./downloads.lock.json): where it downloads and its digest matches, the binary goes to the same path and nothing is
# built. Only "nothing downloaded" (unreachable, HTTP error, no pinned digest; exit 3) falls back to the Go build; a
# digest mismatch stops here. HELLOAGENTS_DOWNLOADS=off builds everything from Go.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

CACHE="${HELLOAGENTS_CACHE:-$HOME/.cache/helloagents}/tools"

# name|version|package|extra environment|variable that carries the version (as each project's release build sets it)
# — bump versions here only.
# Trivy builds with GOEXPERIMENT=jsonv2 (its goreleaser.yml does the same; without it: "build constraints exclude all Go
# files in .../encoding/json/jsontext").
TOOLS=(
  "syft|v1.57.1|github.com/anchore/syft/cmd/syft||main.version"
  "trivy|v0.74.0|github.com/aquasecurity/trivy/cmd/trivy|GOEXPERIMENT=jsonv2|github.com/aquasecurity/trivy/pkg/version/app.ver"
  "cosign|v3.1.3|github.com/sigstore/cosign/v3/cmd/cosign||sigs.k8s.io/release-utils/version.gitVersion"
  # The same actionlint release as the module's `lint` image (dagger/src/images.ts).
  "actionlint|v1.7.12|github.com/rhysd/actionlint/cmd/actionlint||github.com/rhysd/actionlint.version"
)

want=("$@")
mkdir -p "$CACHE"
# One build at a time (parallel test runs, a setup step and a test): the others wait, then find the cached binary.
exec 9>"$CACHE/.build-tools.lock"
flock 9
for spec in "${TOOLS[@]}"; do
  IFS='|' read -r name version pkg extra versionvar <<<"$spec"
  if [[ ${#want[@]} -gt 0 && ! " ${want[*]} " =~ " ${name} " ]]; then continue; fi
  dir="$CACHE/$name-$version"
  if [[ ! -x "$dir/$name" ]]; then
    rm -rf "$dir.tmp"
    fetched=0
    node "$HERE/fetch-release.mjs" "$name" "$dir.tmp" || fetched=$?
    if ((fetched == 0)); then
      rm -rf "$dir" && mv "$dir.tmp" "$dir"
      echo "$name $dir/$name"
      continue
    elif ((fetched != 3)); then
      rm -rf "$dir.tmp"
      echo "build-tools: $name $version: the pinned download was refused (exit $fetched, see above); not building it instead" >&2
      exit 1
    fi
    command -v go >/dev/null || { echo "build-tools: go is not installed (needs Go >= 1.26)" >&2; exit 2; }
    log="$CACHE/$name-$version.log"
    echo "build-tools: building $name $version (log: $log)" >&2
    start=$(date +%s)
    mkdir -p "$dir.tmp"
    # Build into a temporary GOBIN and rename, so an interrupted build never leaves a half-written binary behind.
    if ! env ${extra:+"$extra"} GOBIN="$dir.tmp" GOFLAGS=-buildvcs=false go install -ldflags "-s -w -X $versionvar=${version#v}" "$pkg@$version" >"$log" 2>&1; then
      echo "build-tools: $name $version failed to build: $(tail -n 3 "$log" | tr '\n' ' ')" >&2
      rm -rf "$dir.tmp"
      exit 1
    fi
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
    echo "build-tools: built $name $version in $(( $(date +%s) - start ))s" >&2
  fi
  echo "$name $dir/$name"
done

if [[ ${#want[@]} -eq 0 || " ${want[*]} " =~ " trivy " ]]; then
  trivy_version=$(printf '%s\n' "${TOOLS[@]}" | awk -F'|' '$1 == "trivy" { print $2 }')
  testdata="$(cd "$CACHE" && go mod download -json "github.com/aquasecurity/trivy@$trivy_version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')/integration/testdata"
  [[ -d "$testdata/fixtures/db" ]] || { echo "build-tools: no Trivy DB fixtures in $testdata" >&2; exit 1; }
  dbcache="$CACHE/trivy-db-fixture-$trivy_version"
  if [[ ! -s "$dbcache/db/trivy.db" ]]; then
    loader="$CACHE/trivy-fixture-db-$trivy_version/trivy-fixture-db"
    if [[ ! -x "$loader" ]]; then
      echo "build-tools: building trivy-fixture-db" >&2
      (cd "$(dirname "$0")/trivy-fixture-db" && GOFLAGS=-buildvcs=false go build -o "$loader" .) >&2
    fi
    rm -rf "$dbcache.tmp"
    "$loader" "$dbcache.tmp" "$testdata"/fixtures/db/*.yaml
    rm -rf "$dbcache" && mv "$dbcache.tmp" "$dbcache"
  fi
  echo "trivy-db $dbcache"
  echo "trivy-testdata $testdata"
fi
