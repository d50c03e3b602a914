#!/usr/bin/env python3
"""Push a Trivy vulnerability DB directory as the OCI artifact Trivy downloads (`--db-repository`).

    push-artifact.py REGISTRY REPOSITORY TAG DB_DIR

REGISTRY is a plain-HTTP registry (host:port). The layer is `db.tar.gz` holding trivy.db and metadata.json, with the
media types of ghcr.io/aquasecurity/trivy-db:2. Prints the manifest digest.
"""

import gzip
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

LAYER_TYPE = "application/vnd.aquasec.trivy.db.layer.v1.tar+gzip"
CONFIG_TYPE = "application/vnd.aquasec.trivy.config.v1+json"
MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json"


def request(
    method: str, url: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> urllib.request.http.client.HTTPResponse:
    req = urllib.request.Request(
        url,
        data=body if method in ("PUT", "POST") else None,
        method=method,
        headers=headers or {},
    )
    return urllib.request.urlopen(req, timeout=60)


def push_blob(base: str, repo: str, blob: bytes) -> dict[str, object]:
    digest = "sha256:" + hashlib.sha256(blob).hexdigest()
    try:
        request("HEAD", f"{base}/v2/{repo}/blobs/{digest}")
    except urllib.error.HTTPError:
        location = request("POST", f"{base}/v2/{repo}/blobs/uploads/").headers[
            "Location"
        ]
        url = location if location.startswith("http") else base + location
        sep = "&" if "?" in url else "?"
        request(
            "PUT",
            f"{url}{sep}digest={digest}",
            blob,
            {"Content-Type": "application/octet-stream"},
        )
    return {"digest": digest, "size": len(blob)}


def db_layer(db_dir: Path) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        for name in ("trivy.db", "metadata.json"):
            info = tar.gettarinfo(str(db_dir / name), arcname=name)
            info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
            with open(db_dir / name, "rb") as f:
                tar.addfile(info, f)
    return gzip.compress(raw.getvalue(), mtime=0)


def main() -> None:
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    registry, repo, tag, db_dir = (
        sys.argv[1],
        sys.argv[2],
        sys.argv[3],
        Path(sys.argv[4]),
    )
    for name in ("trivy.db", "metadata.json"):
        if not (db_dir / name).is_file():
            sys.exit(
                f"push-artifact: {db_dir / name} is missing; build the fixture DB with ci/test/tools/build-tools.sh"
            )
    base = f"http://{registry}"
    config = {**push_blob(base, repo, b"{}"), "mediaType": CONFIG_TYPE}
    layer = {
        **push_blob(base, repo, db_layer(db_dir)),
        "mediaType": LAYER_TYPE,
        "annotations": {"org.opencontainers.image.title": "db.tar.gz"},
    }
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": MANIFEST_TYPE,
            "config": config,
            "layers": [layer],
        }
    ).encode()
    request(
        "PUT",
        f"{base}/v2/{repo}/manifests/{tag}",
        manifest,
        {"Content-Type": MANIFEST_TYPE},
    )
    print("sha256:" + hashlib.sha256(manifest).hexdigest())


if __name__ == "__main__":
    main()
