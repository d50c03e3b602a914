#!/usr/bin/env bash
# shellcheck disable=SC2016 # mmdebstrap hooks expand "$1" (the rootfs) themselves
# Make a Debian 12 root filesystem directory with mmdebstrap from deb.debian.org (the mirror this machine may reach).
#   debian-rootfs.sh OUT PACKAGES(comma-separated) [ARCH]
# OUT must not exist; it appears only when the rootfs is complete.
set -euo pipefail

OUT=$1 PACKAGES=$2 ARCH=${3:-amd64}
SUITE=bookworm
[[ ! -e "$OUT" ]] || { echo "debian-rootfs: $OUT exists" >&2; exit 2; }
command -v mmdebstrap >/dev/null || { echo "debian-rootfs: mmdebstrap missing; apt-get install -y mmdebstrap" >&2; exit 2; }
mkdir -p "$(dirname "$OUT")"
TMP="$OUT.tmp.$$"
rm -rf "$TMP"
trap 'rm -rf "$TMP"' EXIT
# Downloaded .deb files are kept in DEB_CACHE (when set) and reused by the next rootfs.
hooks=()
if [[ -n "${DEB_CACHE:-}" ]]; then
  mkdir -p "$DEB_CACHE"
  hooks+=(--setup-hook='mkdir -p "$1"/var/cache/apt/archives/' --setup-hook="sync-in $DEB_CACHE /var/cache/apt/archives/"
    --customize-hook="sync-out /var/cache/apt/archives $DEB_CACHE")
fi
# Same suites as the host (main, updates, security), no recommends, no docs or man pages, apt lists dropped.
mmdebstrap --quiet "${hooks[@]}" --variant=minbase --arch="$ARCH" --include="$PACKAGES" \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
  "$SUITE" "$TMP" \
  "deb http://deb.debian.org/debian $SUITE main" \
  "deb http://deb.debian.org/debian $SUITE-updates main" \
  "deb http://deb.debian.org/debian-security $SUITE-security main"
mv "$TMP" "$OUT"
trap - EXIT
