#!/usr/bin/env bash
# Build the Go SDK content the engine bundles (toolchains/engine-dev/build/sdk.go goSDKContent): a Go toolchain image
# with git, openssh and openssl, the codegen binary, GOTOOLCHAIN=auto, and module and build caches warmed with the
# standard library and the Go SDK's dependencies. Upstream starts from golang:1.26-alpine; this one is Debian 12 plus
# the Go release the Go module proxy serves as golang.org/toolchain. Result: image "go" in LAYOUT.
#   sdk-go.sh SRC BIN LAYOUT DEBIAN_ROOTFS_DIR
set -euo pipefail

SRC=$1 BIN=$2 LAYOUT=$3 BASE=$4
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LAB_GOPROXY=file:///usr/local/share/lab-goproxy,https://proxy.golang.org,direct # also set on the engine (lab.sh)
GO_RELEASE=1.26.8 # distconsts.GolangVersion is "1.26" (a floating tag); this is the newest 1.26 the proxy gave us
# shellcheck source=ci/test/engine/build/oci.sh
source "$HERE/oci.sh"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ROOT="$WORK/rootfs"
cp -a "$BASE" "$ROOT"

toolchain="$(GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download -json "golang.org/toolchain@v0.0.1-go$GO_RELEASE.linux-amd64" | jq -r .Dir)"
[[ -f "$toolchain/bin/go" ]] || { echo "sdk-go: no Go $GO_RELEASE toolchain from the module proxy" >&2; exit 3; }
cp -a "$toolchain" "$ROOT/usr/local/go"
chmod -R u+w "$ROOT/usr/local/go"
# Module zips carry no file modes; the go command marks these executable when it switches toolchains, and so do we.
chmod 0755 "$ROOT"/usr/local/go/bin/* "$ROOT"/usr/local/go/pkg/tool/linux_amd64/*
install -m 0755 "$BIN/codegen" "$ROOT/usr/local/bin/codegen"
mkdir -p "$ROOT/go/pkg/mod" "$ROOT/root/.cache/go-build" "$ROOT/sdk"
cp -a "$SRC/sdk/go/." "$ROOT/sdk/"

# Warm the caches inside the image's own filesystem (same GOROOT and paths as at run time), with the host's network
# and CA bundle bind-mounted for the download.
# shellcheck disable=SC2016 # expanded by the inner shell
unshare --mount --fork bash -euo pipefail -c '
  root=$1
  mount --rbind /dev "$root/dev"; mount -t proc proc "$root/proc"
  touch "$root/etc/resolv.conf" "$root/etc/lab-ca.crt"
  mount --bind /etc/resolv.conf "$root/etc/resolv.conf"
  mount --bind /etc/ssl/certs/ca-certificates.crt "$root/etc/lab-ca.crt"
  env -i PATH=/go/bin:/usr/local/go/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root GOPATH=/go GOTOOLCHAIN=local SSL_CERT_FILE=/etc/lab-ca.crt \
    chroot "$root" sh -euc "go build std && go list -C /sdk -e -export=true -compiled=true -deps=true -test=false . >/dev/null"
' _ "$ROOT"
rm -rf "$ROOT/sdk" "$ROOT/etc/lab-ca.crt"

# Module queries the Go SDK's codegen makes that this machine's proxy access refuses (403), answered from a file://
# proxy first in GOPROXY. The engine pins dagger.io/dagger by commit (core/sdk/go_sdk.go goSDKLibVersion): served as
# the pseudo-version the go command derives for it, zipped from the dagger-go-sdk snapshot; its hash cannot be checked
# against sum.golang.org here (refused too), hence GONOSUMDB for that one module. `go get github.com/dagger/querybuilder`
# asks for the latest version, answered with the one dagger.io/dagger requires.
LIB_COMMIT=56bb30426a8462af6f95cfdae6461d0cc796ff50 LIB_VERSION=v0.21.5-0.20260727204138-56bb30426a84
LIB_TIME=2026-07-27T20:41:38Z
QB_VERSION=v0.0.0-20260402040506-574a5e81cb59 QB_TIME=2026-04-02T04:05:20Z
PROXY="$ROOT/usr/local/share/lab-goproxy"
sdk_git="${DAGGER_MIRROR_ROOT:-/work/.mirror}/dagger+dagger-go-sdk/repo"
[[ -d "$sdk_git" ]] || { echo "sdk-go: no dagger-go-sdk snapshot at $sdk_git; set DAGGER_MIRROR_ROOT" >&2; exit 2; }
mkdir -p "$WORK/lib" "$PROXY/dagger.io/dagger/@v" "$PROXY/github.com/dagger/querybuilder/@v"
git --git-dir="$sdk_git" archive "$LIB_COMMIT" | tar -x -C "$WORK/lib"
(cd "$HERE/../modproxy" && GOFLAGS=-mod=readonly go build -o "$WORK/modproxy" .)
"$WORK/modproxy" -root "$PROXY" -module dagger.io/dagger -version "$LIB_VERSION" -dir "$WORK/lib" -time "$LIB_TIME" >/dev/null
printf '{"Version":"%s","Time":"%s"}\n' "$LIB_VERSION" "$LIB_TIME" >"$PROXY/dagger.io/dagger/@v/$LIB_COMMIT.info"
: >"$PROXY/github.com/dagger/querybuilder/@v/list"
printf '{"Version":"%s","Time":"%s"}\n' "$QB_VERSION" "$QB_TIME" >"$PROXY/github.com/dagger/querybuilder/@latest"

oci_image "$LAYOUT" go "$ROOT" \
  --config.env=PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.env=GOLANG_VERSION="$GO_RELEASE" --config.env=GOPATH=/go --config.env=GOTOOLCHAIN=auto \
  --config.env=GOPROXY="$LAB_GOPROXY" --config.env=GONOSUMDB=dagger.io/dagger \
  --config.workingdir=/go
