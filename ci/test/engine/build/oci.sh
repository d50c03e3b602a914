# shellcheck shell=bash
# OCI image helpers (sourced): images are built with umoci (Debian) from root filesystem directories and kept in OCI
# layouts; skopeo (Debian) pushes them.

# oci_image LAYOUT TAG ROOTFS [umoci config flags…]: (re)create image TAG in LAYOUT with ROOTFS as its single layer.
oci_image() {
  local layout=$1 tag=$2 rootfs=$3; shift 3
  [[ -d "$layout" ]] || umoci init --layout "$layout"
  umoci rm --image "$layout:$tag" 2>/dev/null || true
  umoci new --image "$layout:$tag"
  umoci insert --image "$layout:$tag" "$rootfs" /
  umoci config --no-history --image "$layout:$tag" --os=linux --architecture="${OCI_ARCH:-amd64}" "$@"
  umoci gc --layout "$layout"
}

# oci_digest LAYOUT TAG: the manifest digest TAG points at.
oci_digest() {
  python3 - "$1" "$2" <<'PY'
import json, sys
idx = json.load(open(sys.argv[1] + "/index.json"))
for m in idx["manifests"]:
    if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == sys.argv[2]:
        print(m["digest"]); break
else:
    sys.exit(f"oci_digest: no tag {sys.argv[2]} in {sys.argv[1]}")
PY
}
