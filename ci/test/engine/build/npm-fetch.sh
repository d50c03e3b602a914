# shellcheck shell=bash
# npm_unpack SPEC DEST (sourced): fetch one package tarball from the npm registry (npm pack checks its integrity) and
# unpack its `package/` folder into DEST.
npm_unpack() {
  local spec=$1 dest=$2 tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  mkdir -p "$dest"
  tar -xzf "$tmp"/*.tgz -C "$dest" --strip-components=1
  rm -rf "$tmp"
}
