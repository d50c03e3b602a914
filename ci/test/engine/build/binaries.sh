#!/usr/bin/env bash
# Build the Dagger engine, CLI and helper binaries from a Dagger source tree, plus runc and the CNI plugins from the Go
# module proxy, the way toolchains/engine-dev/build/builder.go does (same packages, build tags, version stamping).
#   binaries.sh SRC OUT VERSION TAG
# Modules proxy.golang.org refuses here are served from a local file:// proxy built from their git snapshots
# (VITO_GIT_ROOT); the go command checks each one against the h1: hashes in Dagger's go.sum.
set -euo pipefail

SRC=$1 OUT=$2 VERSION=$3 TAG=$4
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUNC_VERSION=v1.4.2 # toolchains/engine-dev/consts/consts.go
CNI_VERSION=v1.9.0  # same file
MIRRORS="${DAGGER_MIRROR_ROOT:-/work/.mirror}"

log() { printf '[engine-lab] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

mkdir -p "$OUT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# ------------------------------------------------------------------ modules the proxy refuses (403 here)
# name git-snapshot revision subdir version
REFUSED=(
  "github.com/vito/dang/v2 vito+dang v2.1.1 . v2.1.1"
  "github.com/vito/midterm vito+midterm 3c2add750bea . v0.2.5-0.20260312180916-3c2add750bea"
  "github.com/vito/tuist vito+tuist v0.0.6 . v0.0.6"
  "github.com/vito/tuist/teav1 vito+tuist de388bf31342 teav1 v0.0.0-20260330150345-de388bf31342"
)
LOCAL_PROXY="$OUT/../goproxy"
(cd "$HERE/../modproxy" && GOFLAGS=-mod=readonly go build -o "$WORK/modproxy" .)
for entry in "${REFUSED[@]}"; do
  read -r mod snap rev sub ver <<<"$entry"
  git_dir="$MIRRORS/$snap/repo"
  [[ -d "$git_dir" ]] || die "$mod: no git snapshot at $git_dir (proxy.golang.org refuses it here); set DAGGER_MIRROR_ROOT"
  tree="$WORK/src/$snap-$rev"
  if [[ ! -d "$tree" ]]; then
    mkdir -p "$tree"
    git --git-dir="$git_dir" archive "$rev" | tar -x -C "$tree"
  fi
  moddir="$tree/$sub"
  # The go command puts the repository's LICENSE into a subdirectory module's zip when it has none.
  [[ -f "$moddir/LICENSE" || ! -f "$tree/LICENSE" ]] || cp "$tree/LICENSE" "$moddir/LICENSE"
  got="$("$WORK/modproxy" -root "$LOCAL_PROXY" -module "$mod" -version "$ver" -dir "$moddir" | awk '{print $3}')"
  want="$(awk -v m="$mod" -v v="$ver" '$1==m && $2==v {print $3}' "$SRC/go.sum")"
  [[ "$got" == "$want" ]] || die "$mod@$ver from $snap hashes to $got, go.sum wants $want"
  log "local proxy: $mod@$ver matches go.sum ($got)"
done
export GOPROXY="file://$LOCAL_PROXY,https://proxy.golang.org"
export GOTOOLCHAIN=local GOFLAGS="-mod=readonly -buildvcs=false"

# ------------------------------------------------------------------ dagger binaries (root module)
build_dagger() { # out pkg stamp(0|1)
  local out=$1 pkg=$2 stamp=$3 ldflags="-s -w"
  if [[ "$stamp" == 1 ]]; then
    ldflags+=" -X github.com/dagger/dagger/engine.Version=$VERSION -X github.com/dagger/dagger/engine.Tag=$TAG"
  fi
  local start=$SECONDS
  (cd "$SRC" && CGO_ENABLED=0 go build -trimpath -tags dfexcludepatterns,dfparents -ldflags "$ldflags" -o "$OUT/$out.tmp" "$pkg")
  mv -f "$OUT/$out.tmp" "$OUT/$out"
  log "built $out in $((SECONDS - start))s"
}
build_dagger dagger-engine ./cmd/engine 1
build_dagger dagger ./cmd/dagger 1
build_dagger dial-stdio ./cmd/dialstdio 0
build_dagger dnsname ./cmd/dnsname 0
build_dagger dagger-init ./cmd/init 0
build_dagger codegen ./cmd/codegen 0

# ------------------------------------------------------------------ runc (cgo, seccomp, static PIE like Dagger's build)
start=$SECONDS
(cd "$WORK" && GOBIN="$WORK/gobin" CGO_ENABLED=1 GOFLAGS="-buildvcs=false" go install -trimpath -buildmode=pie \
  -tags "seccomp netgo osusergo" \
  -ldflags "-X main.version=$RUNC_VERSION -linkmode external -extldflags -static-pie" \
  "github.com/opencontainers/runc@$RUNC_VERSION")
mv -f "$WORK/gobin/runc" "$OUT/runc"
log "built runc $RUNC_VERSION in $((SECONDS - start))s"

# ------------------------------------------------------------------ CNI plugins
start=$SECONDS
mkdir -p "$OUT/cni"
for p in plugins/main/bridge plugins/main/loopback plugins/meta/firewall plugins/ipam/host-local; do
  (cd "$WORK" && GOBIN="$OUT/cni" CGO_ENABLED=0 GOFLAGS="-buildvcs=false" \
    go install -trimpath -ldflags "-s -w" "github.com/containernetworking/plugins/$p@$CNI_VERSION")
done
log "built CNI plugins $CNI_VERSION in $((SECONDS - start))s"
