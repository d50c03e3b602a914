#!/usr/bin/env bash
# The Dagger engine lab: a real Dagger engine and CLI built from source on this machine, run in their own network,
# mount and PID namespaces over a Debian root filesystem, with a local registry holding stand-ins for every image the
# module and the TypeScript SDK runtime pull (no container registry is reachable here). See README.md.
#   lab.sh build   build (or reuse) everything: binaries, root filesystems, stand-in images, SDK contents
#   lab.sh up      start the registry and the engine (state in $ENGINE_LAB_STATE_DIR, default a new temp dir)
#   lab.sh env     print `export …` lines for eval: the CLI on PATH, _EXPERIMENTAL_DAGGER_RUNNER_HOST, the pins file
#   lab.sh status  say whether the lab is up (exit 0) or not (exit 1)
#   lab.sh down    stop everything by PID, remove the network namespace, NAT rule and state dir
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The newest 0.21 code in the dagger/dagger snapshot: backport-0.21, after v0.21.8. v0.21.9 (the module's engineVersion)
# is on npm but in neither the snapshot nor the Go proxy; this build is versioned as a dev pre-release of it, which the
# engine's own version check accepts for `engineVersion: v0.21.9` (engine/version.go BaseVersion).
ENGINE_REF=00c993cbe47ba494262871052b9ab4a547989b1d
ENGINE_VERSION=v0.21.9-20260818203103-dev-00c993cbe47b
LAB_RECIPE=r1 # bump when a build recipe changes in a way the step keys below do not see
KEY="${ENGINE_REF:0:12}"
CACHE_ROOT="${HELLOAGENTS_CACHE:-$HOME/.cache/helloagents}/engine"
K="$CACHE_ROOT/$KEY"
SRC="$CACHE_ROOT/src/$ENGINE_REF"
TOOLS="${HELLOAGENTS_CACHE:-$HOME/.cache/helloagents}/tools"
TRIVY_DB="$TOOLS/trivy-db-fixture-v0.74.0/db"
POINTER="$CACHE_ROOT/last-state-dir"
export DEB_CACHE="$K/debs" # .deb files shared by every Debian rootfs the lab makes
NETNS=helloagents-engine-lab
HOST_IF=hael0 NS_IF=hael1
HOST_IP=10.203.77.1 LAB_IP=10.203.77.2 LAB_NET=10.203.77.0/30
REGISTRY="$LAB_IP:5000"
TRIVY_DB_REF="$REGISTRY/standin/trivy-db:2"
NAT_COMMENT=helloagents-engine-lab

log() { printf '[engine-lab] %s\n' "$*" >&2; }
die() { log "error: $*"; exit "${2:-1}"; }

state_dir() {
  if [[ -n "${ENGINE_LAB_STATE_DIR:-}" ]]; then printf '%s\n' "$ENGINE_LAB_STATE_DIR"
  elif [[ -f "$POINTER" ]]; then cat "$POINTER"
  else return 1; fi
}

# ---------------------------------------------------------------------------------------------------------------- build
# Each step runs once per key; the key covers the scripts and versions it depends on.
files_key() { { echo "$LAB_RECIPE"; cat "$@"; } | sha256sum | cut -c1-16; }

step() { # name key command…
  local name=$1 key=$2 marker="$K/.done/$1"; shift 2
  if [[ "$(cat "$marker" 2>/dev/null)" == "$key" ]]; then return 0; fi
  log "building $name ($key)…"
  local start=$SECONDS
  "$@"
  mkdir -p "$K/.done"
  printf '%s\n' "$key" >"$marker"
  log "built $name in $((SECONDS - start))s"
}

need() { # command apt-package
  command -v "$1" >/dev/null && return 0
  [[ $EUID -eq 0 ]] || die "$1 is missing: apt-get install -y $2" 2
  log "installing $2 from Debian…"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >/dev/null
}

check_host() {
  [[ $EUID -eq 0 ]] || die "the lab needs root (namespaces, mounts, NAT)" 2
  need mmdebstrap mmdebstrap; need umoci umoci; need skopeo skopeo; need jq jq; need iptables iptables
  [[ -f /usr/include/seccomp.h ]] || need no-such-command-seccomp libseccomp-dev
  for c in go npm node python3 unshare nsenter ip; do command -v "$c" >/dev/null || die "$c is not on PATH" 2; done
}

fetch_source() {
  local git_dir="${DAGGER_GIT_DIR:-/work/.mirror/dagger+dagger/repo}" tmp="$SRC.tmp"
  [[ -d "$git_dir" ]] || die "no Dagger source at $SRC and no git snapshot at $git_dir (no GitHub here); set DAGGER_GIT_DIR" 2
  rm -rf "$tmp" && mkdir -p "$tmp"
  # The snapshot lacks a few large binary blobs (docs media, a test binary): leave those paths out.
  git --git-dir="$git_dir" archive "$ENGINE_REF" ':(exclude)docs/static' ':(exclude)toolchains/python-sdk-dev/dockerd' |
    tar -x -C "$tmp"
  mv "$tmp" "$SRC"
}

ref_of() { # stand-in name → registry reference with digest
  jq -er --arg n "$1" '.[$n]' "$K/pins.json"
}

write_pins() { # name → repository:tag of each stand-in in the lab registry, with the digest of its manifest
  # shellcheck source=ci/test/engine/build/oci.sh
  source "$HERE/build/oci.sh"
  local out="{}" name repo
  while read -r name repo; do
    out="$(jq --arg n "$name" --arg r "$REGISTRY/standin/$repo@$(oci_digest "$K/images" "$name")" '.[$n] = $r' <<<"$out")"
  done <"$HERE/standin-refs.txt"
  printf '%s\n' "$out" >"$K/pins.json"
}

assemble_rootfs() {
  local r="$K/rootfs.tmp" b="$K/bin"
  rm -rf "$r" && cp -a "$K/debian-engine" "$r"
  install -m 0755 "$b/dagger-engine" "$r/usr/local/bin/dagger-engine"
  install -m 0755 "$b/dagger" "$r/usr/local/bin/dagger"
  install -m 0755 "$b/runc" "$r/usr/local/bin/runc"
  install -m 0755 "$b/dagger-init" "$r/usr/local/bin/dagger-init"
  install -m 0755 "$r/usr/bin/tini-static" "$r/usr/local/bin/tini"
  install -m 0755 "$b/dial-stdio" "$r/usr/bin/dial-stdio"
  ln -sf /usr/bin/dial-stdio "$r/usr/bin/buildctl"
  # The engine points iptables at /usr/bin/xtables-{legacy,nft}-multi (Wolfi's paths); Debian keeps them in /usr/sbin.
  ln -sf /usr/sbin/xtables-legacy-multi "$r/usr/bin/xtables-legacy-multi"
  ln -sf /usr/sbin/xtables-nft-multi "$r/usr/bin/xtables-nft-multi"
  install -D -m 0755 "$b/dnsname" "$r/opt/cni/bin/dnsname"
  install -m 0755 "$b"/cni/* "$r/opt/cni/bin/"
  mkdir -p "$r/var/lib/dagger" "$r/etc/dagger" "$r/usr/local/share/dagger/content/blobs/sha256"
  local layout
  for layout in "$K/sdk-typescript" "$K/sdk-go"; do
    cp -a "$layout/blobs/sha256/." "$r/usr/local/share/dagger/content/blobs/sha256/"
  done
  # Dagger's documented custom-CA mechanism: CAs in the engine's /usr/local/share/ca-certificates are trusted by the
  # engine and installed into every container it runs. The host's own CAs go there, so containers reach PyPI and npm
  # exactly as this machine does.
  cp /usr/local/share/ca-certificates/*.crt "$r/usr/local/share/ca-certificates/" 2>/dev/null || true
  chroot "$r" update-ca-certificates >/dev/null 2>&1
  # shellcheck source=ci/test/engine/build/oci.sh
  source "$HERE/build/oci.sh"
  cat >"$r/etc/dagger/lab.env" <<EOF
export DAGGER_TYPESCRIPT_SDK_MANIFEST_DIGEST=$(oci_digest "$K/sdk-typescript" typescript)
export DAGGER_GO_SDK_MANIFEST_DIGEST=$(oci_digest "$K/sdk-go" go)
export _EXPERIMENTAL_DAGGER_RUNNER_HOST=unix:///run/dagger/engine.sock
export GOPROXY=file:///usr/local/share/lab-goproxy,https://proxy.golang.org,direct
EOF
  cat >"$r/etc/dagger/engine.toml" <<EOF
# Lab engine: the stand-in registry is plain HTTP on the engine's own network namespace.
[registry."$REGISTRY"]
  http = true
  insecure = true
EOF
  printf '{\n  "logLevel": "%s"\n}\n' "${ENGINE_LAB_LOG_LEVEL:-info}" >"$r/etc/dagger/engine.json"
  rm -rf "$K/rootfs" && mv "$r" "$K/rootfs"
}

cmd_build() {
  check_host
  local s
  if s="$(state_dir)" && alive "$s/engine.pid"; then
    [[ -n "${ENGINE_LAB_UP:-}" ]] && return 0 # `up` of a running lab is refused below
    die "the lab is up (state: $s) on the files a build would replace; run lab.sh down first" 2
  fi
  mkdir -p "$K"
  exec 8>"$K/build.lock"
  flock 8 # concurrent builds on one machine share the cache: build once
  [[ -d "$SRC" ]] || fetch_source
  local b=build engine_pkgs go_pkgs
  engine_pkgs=ca-certificates,git,openssh-client,pigz,xz-utils,nftables,iptables,dnsmasq-base,e2fsprogs,ripgrep,sqlite3,tini,procps,iproute2
  go_pkgs=git,openssh-client,openssl,ca-certificates
  step binaries "$ENGINE_VERSION-$(files_key "$HERE/$b/binaries.sh" "$HERE/modproxy/main.go" "$HERE/modproxy/go.sum")" \
    bash "$HERE/$b/binaries.sh" "$SRC" "$K/bin" "$ENGINE_VERSION" "$ENGINE_REF"
  step debian-engine "$(files_key "$HERE/$b/debian-rootfs.sh")-$(sha256sum <<<"$engine_pkgs" | cut -c1-8)" \
    rebuild_dir "$K/debian-engine" bash "$HERE/$b/debian-rootfs.sh" "$K/debian-engine" "$engine_pkgs"
  step debian-gosdk "$(files_key "$HERE/$b/debian-rootfs.sh")-$(sha256sum <<<"$go_pkgs" | cut -c1-8)" \
    rebuild_dir "$K/debian-gosdk" bash "$HERE/$b/debian-rootfs.sh" "$K/debian-gosdk" "$go_pkgs"
  local name
  # One step each: a recipe change rebuilds that image only. (Not `while read`: the builds would read its stdin.)
  # shellcheck disable=SC2013 # stand-in names are single words
  for name in $(awk '{print $1}' "$HERE/standin-refs.txt"); do
    step "standin-$name" "$(standin_key "$name")" \
      env LAB_TRIVY_DB="$TRIVY_DB_REF" bash "$HERE/$b/standins.sh" "$K/images" "$TOOLS" "$name"
  done
  write_pins
  step sdk-go "$(files_key "$HERE/$b/sdk-go.sh" "$HERE/$b/oci.sh" "$K/bin/codegen")" \
    rebuild_dir "$K/sdk-go" bash "$HERE/$b/sdk-go.sh" "$SRC" "$K/bin" "$K/sdk-go" "$K/debian-gosdk"
  step sdk-typescript "$(files_key "$HERE/$b/sdk-typescript.sh" "$HERE/$b/oci.sh" "$K/bin/codegen" <(ref_of node-runtime; ref_of bun-runtime))" \
    rebuild_dir "$K/sdk-typescript" bash "$HERE/$b/sdk-typescript.sh" "$SRC" "$K/bin" "$K/sdk-typescript" \
    "$(ref_of node-runtime)" "$(ref_of bun-runtime)" "$K/debian-gosdk"
  local inputs
  inputs="$(cd "$K/.done" && cat binaries debian-engine sdk-go sdk-typescript | sha256sum | cut -c1-16)"
  step rootfs "$inputs-$(files_key "$HERE/lab.sh")" assemble_rootfs
  exec 8>&-
}

standin_key() { # name: the shared recipe files plus what standins.sh --key says that image's build depends on
  { files_key "$HERE/build/oci.sh" "$HERE/build/debian-rootfs.sh" "$HERE/build/npm-fetch.sh" "$HERE"/images/*
    LAB_TRIVY_DB="$TRIVY_DB_REF" bash "$HERE/build/standins.sh" --key "$1"; } | sha256sum | cut -c1-16
}

rebuild_dir() { # dir command…: run the command with dir removed first (each builder creates its output)
  rm -rf "$1"; shift
  "$@"
}

# ------------------------------------------------------------------------------------------------------------- network
host_mtu() { ip -o link show "$(ip route show default | awk '{print $5; exit}')" | sed -n 's/.* mtu \([0-9]*\).*/\1/p'; }

net_up() {
  local s=$1
  ip netns add "$NETNS"
  ip link add "$HOST_IF" mtu "$(host_mtu)" type veth peer name "$NS_IF" mtu "$(host_mtu)"
  ip link set "$NS_IF" netns "$NETNS"
  ip addr add "$HOST_IP/30" dev "$HOST_IF"
  ip link set "$HOST_IF" up
  ip -n "$NETNS" link set lo up
  ip -n "$NETNS" addr add "$LAB_IP/30" dev "$NS_IF"
  ip -n "$NETNS" link set "$NS_IF" up
  ip -n "$NETNS" route add default via "$HOST_IP"
  # Containers reach PyPI and npm through this machine: forward and masquerade the lab's /30 only.
  sysctl -n net.ipv4.ip_forward >"$s/ip_forward.before"
  sysctl -qw net.ipv4.ip_forward=1
  iptables -t nat -A POSTROUTING -s "$LAB_NET" ! -o "$HOST_IF" -j MASQUERADE -m comment --comment "$NAT_COMMENT"
  iptables -A FORWARD -i "$HOST_IF" -j ACCEPT -m comment --comment "$NAT_COMMENT"
  iptables -A FORWARD -o "$HOST_IF" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT -m comment --comment "$NAT_COMMENT"
}

net_down() {
  local s=$1 rule
  while rule="$(iptables -t nat -S POSTROUTING | grep -- "--comment $NAT_COMMENT" | head -1)" && [[ -n "$rule" ]]; do
    eval "iptables -t nat ${rule/-A/-D}"
  done
  while rule="$(iptables -S FORWARD | grep -- "--comment $NAT_COMMENT" | head -1)" && [[ -n "$rule" ]]; do
    eval "iptables ${rule/-A/-D}"
  done
  if [[ -f "$s/ip_forward.before" ]]; then sysctl -qw "net.ipv4.ip_forward=$(cat "$s/ip_forward.before")"; fi
  ip link del "$HOST_IF" 2>/dev/null || true
  ip netns del "$NETNS" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------------------- processes
alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_pid() { # pidfile name [pid to signal]: SIGTERM, then SIGKILL after 30s
  local pid_file=$1 pid target
  alive "$pid_file" || return 0
  pid="$(cat "$pid_file")"
  target="${3:-$pid}"
  kill -TERM "$target" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$pid_file"; return 0; }
    sleep 0.5
  done
  log "$2 (pid $pid) ignored SIGTERM for 30s; killing it"
  kill -KILL "$target" "$pid" 2>/dev/null || true
  rm -f "$pid_file"
}

wait_for() { # seconds pidfile command…: until the command succeeds; fail early when the process is gone
  local deadline=$((SECONDS + $1)) pid_file=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) && alive "$pid_file" || return 1
    sleep 0.5
  done
}

registry_up() {
  local s=$1
  mkdir -p "$K/registry"
  cat >"$s/registry.yml" <<EOF
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $K/registry}, delete: {enabled: true}}
http: {addr: "$LAB_IP:5000"}
EOF
  nsenter --net="/run/netns/$NETNS" docker-registry serve "$s/registry.yml" >"$s/registry.log" 2>&1 &
  echo $! >"$s/registry.pid"
  wait_for 30 "$s/registry.pid" curl -fsS "http://$REGISTRY/v2/" || die "the lab registry did not answer on $REGISTRY (log: $s/registry.log)" 3
}

push_images() {
  local name repo
  while read -r name repo; do
    skopeo copy --quiet --preserve-digests --dest-tls-verify=false "oci:$K/images:$name" "docker://$REGISTRY/standin/$repo"
  done <"$HERE/standin-refs.txt"
  python3 "$HERE/build/push-artifact.py" "$REGISTRY" standin/trivy-db 2 "$TRIVY_DB" >/dev/null # = $TRIVY_DB_REF
}

engine_up() {
  local s=$1
  nsenter --net="/run/netns/$NETNS" unshare --mount --pid --fork --kill-child=SIGTERM --propagation private \
    bash "$HERE/engine-run.sh" "$K/rootfs" "$s/engine" "$K/state" >"$s/engine.log" 2>&1 &
  echo $! >"$s/engine.pid"
  if ! wait_for 180 "$s/engine.pid" env _EXPERIMENTAL_DAGGER_RUNNER_HOST="unix://$s/engine/sock/engine.sock" DAGGER_NO_NAG=1 \
    DO_NOT_TRACK=1 "$K/bin/dagger" core version; then
    tail -20 "$s/engine.log" >&2
    die "the engine did not answer (log: $s/engine.log)" 3
  fi
}

cmd_up() {
  ENGINE_LAB_UP=1 cmd_build
  local s
  if s="$(state_dir)" && alive "$s/engine.pid"; then die "the lab is already up (state: $s); run lab.sh down first" 2; fi
  ip netns list | grep -qw "$NETNS" && die "network namespace $NETNS exists (a lab not shut down?); run lab.sh down" 2
  s="${ENGINE_LAB_STATE_DIR:-$(mktemp -d /tmp/engine-lab.XXXXXX)}"
  mkdir -p "$s"
  printf '%s\n' "$s" >"$POINTER"
  local start=$SECONDS t
  # A failed start stops whatever did start, keeping the state dir (logs) for a look.
  trap 'log "up failed; stopping what started (logs kept in $s)"; ENGINE_LAB_KEEP_STATE=1 cmd_down' EXIT
  net_up "$s"
  registry_up "$s"
  t=$SECONDS && push_images && log "stand-ins in the registry ($((SECONDS - t))s)"
  t=$SECONDS && engine_up "$s" && log "engine answered ($((SECONDS - t))s)"
  trap - EXIT
  log "up in $((SECONDS - start))s: engine $ENGINE_VERSION, registry $REGISTRY, state $s"
}

cmd_env() {
  local s
  s="$(state_dir)" || die "the lab is not up" 1
  printf 'export _EXPERIMENTAL_DAGGER_RUNNER_HOST=%q\n' "unix://$s/engine/sock/engine.sock"
  printf 'export PATH=%q\n' "$K/bin:$PATH"
  printf 'export DAGGER_NO_NAG=1 DO_NOT_TRACK=1 ENGINE_LAB_STATE_DIR=%q\n' "$s"
  printf 'export ENGINE_LAB_PINS=%q ENGINE_LAB_REGISTRY=%q\n' "$K/pins.json" "$REGISTRY"
  printf 'export ENGINE_LAB_TRIVY_DB=%q\n' "$TRIVY_DB_REF"
}

cmd_status() {
  local s
  if s="$(state_dir)" && alive "$s/engine.pid" && alive "$s/registry.pid"; then
    echo "up: engine $ENGINE_VERSION (pid $(cat "$s/engine.pid")), registry $REGISTRY (pid $(cat "$s/registry.pid")), state $s"
  else
    echo "down"
    return 1
  fi
}

cmd_down() {
  local s
  if s="$(state_dir)"; then
    # engine.pid is `unshare`, which ignores SIGTERM while it waits; its child is tini, PID 1 of the engine's PID
    # namespace, which passes SIGTERM on to the engine. When it exits, everything in the namespace is gone.
    stop_pid "$s/engine.pid" engine "$(pgrep -P "$(cat "$s/engine.pid" 2>/dev/null || echo 0)" | head -1)"
    stop_pid "$s/registry.pid" registry
    net_down "$s"
    [[ -z "${ENGINE_LAB_KEEP_STATE:-}" ]] && rm -rf "$s"
  else
    net_down /nonexistent
  fi
  rm -f "$POINTER"
  log "down"
}

case "${1:-}" in
  build) cmd_build ;;
  up) cmd_up ;;
  env) cmd_env ;;
  status) cmd_status ;;
  down) cmd_down ;;
  *) echo "usage: lab.sh build|up|env|status|down" >&2; exit 2 ;;
esac
