#!/usr/bin/env bash
# Build the TypeScript SDK content the engine bundles (toolchains/engine-dev/build/sdk.go typescriptSDKContent) on the
# host instead of in Dagger containers: the SDK sources, the Go codegen binary, tsx, the TypeScript library, the bun-
# compiled introspector and the bundled library, as one OCI image in LAYOUT (tag "typescript").
#   sdk-typescript.sh SRC BIN LAYOUT NODE_IMAGE BUN_IMAGE DEBIAN_ROOTFS_DIR
# Bun and tsx come from the npm registry at the versions sdk.go and tsdistconsts name. NODE_IMAGE and BUN_IMAGE replace
# the runtime's pinned node:…-alpine and oven/bun:…-alpine references (runtime/tsdistconsts/consts.go, no override
# exists) with the lab's stand-ins.
set -euo pipefail

SRC=$1 BIN=$2 LAYOUT=$3 NODE_IMAGE=$4 BUN_IMAGE=$5 BASE=$6
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUN_VERSION=1.3.0   # sdk/typescript/runtime/tsdistconsts DefaultBunVersion
TSX_VERSION=4.15.6  # toolchains/engine-dev/build/sdk.go TypescriptSDKTSXVersion
# shellcheck source=ci/test/engine/build/npm-fetch.sh
source "$HERE/npm-fetch.sh"
# shellcheck source=ci/test/engine/build/oci.sh
source "$HERE/oci.sh"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt # bun and node trust what the host trusts

npm_unpack "@oven/bun-linux-x64@$BUN_VERSION" "$WORK/bun"
chmod +x "$WORK/bun/bin/bun"
mkdir -p "$WORK/tsx-global"
npm install --silent --global --prefix "$WORK/tsx-global" "tsx@$TSX_VERSION"

# The builder container (sdk.go bunBuilderCtr): the SDK sources at /src with their dependencies, then the introspector,
# bundle and declarations. It runs in a chroot over a Debian rootfs because the path matters: `bun build --compile`
# bakes the TypeScript library's location (/src/node_modules/typescript) into the introspector, and the runtime mounts
# the library there (runtime/introspector.go typescriptLibPath). Built anywhere else, the introspector cannot find
# lib.*.d.ts and fails on any module ("could not resolve type reference for {}").
cp -a "$SRC/sdk/typescript" "$WORK/build"
mkdir -p "$WORK/chroot" "$WORK/upper" "$WORK/ovl" "$WORK/build/out"
# shellcheck disable=SC2016 # expanded by the inner shells
unshare --mount --fork bash -euo pipefail -c '
  w=$1 base=$2 root=$1/chroot
  mount -t overlay overlay -o "lowerdir=$base,upperdir=$w/upper,workdir=$w/ovl" "$root"
  mkdir -p "$root/src" "$root/opt/bun"
  mount --bind "$w/build" "$root/src"
  mount --bind "$w/bun" "$root/opt/bun"
  mount --rbind /dev "$root/dev"; mount -t proc proc "$root/proc"
  touch "$root/etc/resolv.conf" "$root/etc/lab-ca.crt"
  mount --bind /etc/resolv.conf "$root/etc/resolv.conf"
  mount --bind /etc/ssl/certs/ca-certificates.crt "$root/etc/lab-ca.crt"
  env -i PATH=/opt/bun/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root NODE_EXTRA_CA_CERTS=/etc/lab-ca.crt \
    chroot "$root" sh -euc "cd /src
      bun install
      bun build src/module/entrypoint/introspection_entrypoint.ts --compile --outfile /src/out/ts-introspector
      bun build ./src/index.ts --external=typescript --target=node --outfile /src/out/out-node/core.js
      bun node_modules/typescript/bin/tsc --emitDeclarationOnly
      bun x rollup -c rollup.dts.config.mjs -o /src/out/out-node/core.d.ts"
' _ "$WORK" "$BASE"
mv "$WORK/build/out/ts-introspector" "$WORK/ts-introspector"
mv "$WORK/build/out/out-node" "$WORK/out-node"

# The content image: the same paths sdk.go assembles.
ROOT="$WORK/rootfs"
mkdir -p "$ROOT/bin"
python3 - "$SRC/sdk/typescript" "$ROOT" <<'PY'
import pathlib, shutil, sys
src, dst = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
def keep(rel: pathlib.PurePosixPath) -> bool:
    s = rel.as_posix()
    if s.startswith("src/"):
        return s.endswith(".ts") and "/test/" not in s and not s.endswith(".spec.ts")
    return s in {"LICENSE", "README.md", "package.json", "tsconfig.json", "rollup.dts.config.mjs", "dagger.json"} or s.startswith("runtime/")
for p in src.rglob("*"):
    rel = pathlib.PurePosixPath(p.relative_to(src).as_posix())
    if p.is_file() and keep(rel):
        out = dst / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(p, out)
PY
consts="$ROOT/runtime/tsdistconsts/consts.go"
sed -i -E "s|^(\s*DefaultNodeImageRef\s*=).*|\1 \"$NODE_IMAGE\"|; s|^(\s*DefaultBunImageRef\s*=).*|\1 \"$BUN_IMAGE\"|" "$consts"
if ! grep -q "\"$NODE_IMAGE\"" "$consts" || ! grep -q "\"$BUN_IMAGE\"" "$consts"; then
  echo "sdk-typescript: could not edit $consts" >&2
  exit 70
fi
install -m 0755 "$BIN/codegen" "$ROOT/codegen"
cp -a "$WORK/build/node_modules/typescript" "$ROOT/typescript-library"
install -m 0755 "$WORK/ts-introspector" "$ROOT/bin/ts-introspector"
cp -a "$WORK/tsx-global/lib/node_modules/tsx" "$ROOT/tsx_module"
cp -a "$WORK/out-node" "$ROOT/bundled_lib"
oci_image "$LAYOUT" typescript "$ROOT"
