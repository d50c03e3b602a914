#!/usr/bin/env bash
# A real Kubernetes control plane on loopback for tests: etcd + kube-apiserver + kube-controller-manager + kube-scheduler,
# with kwok faking the nodes (and, through ci/test/k8s/stages/, what happens to each pod).
#   cluster.sh build   build (or reuse) the binaries only
#   cluster.sh up      start a cluster in $K8S_STATE_DIR (default: a new temp dir) and write $STATE/kubeconfig
#   cluster.sh env     print `export KUBECONFIG=… K8S_STATE_DIR=…` for eval
#   cluster.sh status  say whether the cluster is up (exit 0) or not (exit 1)
#   cluster.sh down    stop every process by PID and remove the state dir
#   cluster.sh stop-component NAME [--kill] | start-component NAME
#                      stop one component by PID (e.g. kube-apiserver, to test a client that loses its cluster; --kill:
#                      at once, like a crash) and start it again with the same command line
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
K8S_VERSION=v1.33.13 # must match the require line in build/go.mod
KWOK_VERSION=v0.7.0  # go 1.24 in its go.mod; v0.8.0 needs go 1.26.0 and k8s 1.36 libraries
ETCD_MIN=3.4.22      # oldest etcd the Kubernetes docs still recommend; Debian 12 ships 3.4.23
CACHE_ROOT="${HELLOAGENTS_CACHE:-$HOME/.cache/helloagents}/k8s"
BIN="$CACHE_ROOT/$K8S_VERSION/bin"
POINTER="$CACHE_ROOT/last-state-dir" # lets `env`/`down` find a cluster started without K8S_STATE_DIR
SERVICE_CIDR=10.96.0.0/16
SERVICE_IP=10.96.0.1
POD_CIDR=10.244.0.1/16
NODE_COUNT="${K8S_NODE_COUNT:-2}" # kwok-node-0 … kwok-node-$((NODE_COUNT-1))

log() { printf '[k8s] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

state_dir() {
  if [[ -n "${K8S_STATE_DIR:-}" ]]; then printf '%s\n' "$K8S_STATE_DIR"
  elif [[ -f "$POINTER" ]]; then cat "$POINTER"
  else return 1; fi
}

# ---------------------------------------------------------------------------------------------------------------- build
build_key() { cat "$HERE/build/go.mod" "$HERE/build/go.sum" | sha256sum | cut -c1-16; }

# name key archive command...: reuse $BIN/name when its key matches; else install the official release archive pinned in
# ci/test/tools/downloads.lock.json (entry `archive`, - for none; it writes every file of that archive with this key);
# build from Go only when nothing could be downloaded (fetch-release exit 3). A digest mismatch stops the build.
build_one() {
  local name=$1 key=$2 archive=$3 rc=0; shift 3
  if [[ -x "$BIN/$name" && "$(cat "$BIN/$name.key" 2>/dev/null)" == "$key" ]]; then return 0; fi
  if [[ "$archive" != - ]]; then
    node "$HERE/../tools/fetch-release.mjs" "$archive" "$BIN" --key "$key" || rc=$?
    if ((rc == 0)) && [[ -x "$BIN/$name" ]]; then return 0; fi
    ((rc == 3)) || die "the pinned $archive download was refused (exit $rc, see above): not building $name instead"
  fi
  log "building $name ($key; a first run takes minutes)…"
  local start=$SECONDS
  "$@" "$BIN/$name.tmp"
  mv -f "$BIN/$name.tmp" "$BIN/$name"
  printf '%s\n' "$key" >"$BIN/$name.key"
  log "built $name in $((SECONDS - start))s"
}

go_build_k8s() { # out path is last
  local pkg=$1 out=$2
  (cd "$HERE/build" && GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -mod=readonly" \
    go build -trimpath -ldflags="-s -w $(version_ldflags)" -o "$out" "$pkg")
}

version_ldflags() { # what `make` stamps into a release build; without it the server reports v0.0.0-master
  local minor=${K8S_VERSION#v1.} p
  minor=${minor%%.*}
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    printf -- '-X %s.gitVersion=%s -X %s.gitMajor=1 -X %s.gitMinor=%s -X %s.gitTreeState=clean -X %s.buildDate=1970-01-01T00:00:00Z ' \
      "$p" "$K8S_VERSION" "$p" "$p" "$minor" "$p" "$p"
  done
}

go_install_kwok() {
  local out=$1 tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && GOBIN="$tmp" GOFLAGS='' GOTOOLCHAIN=local \
    go install -trimpath -ldflags='-s -w' "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION") && mv "$tmp/kwok" "$out"
  rm -rf "$tmp"
}

etcd_ok() { # is this etcd binary new enough for kube-apiserver $K8S_VERSION?
  local v
  v="$("$1" --version 2>/dev/null | sed -n 's/^etcd Version: //p')" || return 1
  [[ -n "$v" ]] && [[ "$(printf '%s\n%s\n' "$ETCD_MIN" "$v" | sort -V | head -1)" == "$ETCD_MIN" ]]
}

cmd_build() {
  command -v go >/dev/null || die "go is not on PATH"
  grep -q "k8s.io/kubernetes $K8S_VERSION" "$HERE/build/go.mod" || die "build/go.mod does not require k8s.io/kubernetes $K8S_VERSION"
  mkdir -p "$BIN"
  exec 9>"$CACHE_ROOT/$K8S_VERSION/build.lock"
  flock 9 # two runs on one machine share the cache: build once
  local key
  key="$K8S_VERSION-r1-$(build_key)" # bump r1 when the build recipe (flags) changes
  build_one kube-apiserver "$key" kubernetes-server go_build_k8s k8s.io/kubernetes/cmd/kube-apiserver
  build_one kube-controller-manager "$key" kubernetes-server go_build_k8s k8s.io/kubernetes/cmd/kube-controller-manager
  build_one kube-scheduler "$key" kubernetes-server go_build_k8s k8s.io/kubernetes/cmd/kube-scheduler
  build_one kwok "kwok-$KWOK_VERSION" kwok go_install_kwok
  local etcd
  etcd="$(etcd_bin)"
  if [[ "$etcd" == "$BIN/etcd" ]]; then
    build_one etcd "$key" etcd go_build_k8s github.com/helloagents/helloagents/ci/test/k8s/build/cmd/etcd
  else
    etcd_ok "$etcd" || die "$etcd is missing or older than etcd $ETCD_MIN"
  fi
  exec 9>&-
}

etcd_bin() { # ETCD_BIN=path, else Debian's etcd if new enough, else (or with K8S_BUILD_ETCD=1) etcd built from build/cmd/etcd
  if [[ -n "${ETCD_BIN:-}" ]]; then echo "$ETCD_BIN"
  elif [[ "${K8S_BUILD_ETCD:-0}" != 1 ]] && command -v etcd >/dev/null && etcd_ok "$(command -v etcd)"; then command -v etcd
  else echo "$BIN/etcd"; fi
}

# -------------------------------------------------------------------------------------------------------------- certs
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

gen_client_cert() { # name CN O
  local d=$1/pki name=$2 cn=$3 o=$4
  openssl req -new -newkey rsa:2048 -nodes -keyout "$d/$name.key" -subj "/O=$o/CN=$cn" -out "$d/$name.csr" 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' >"$d/$name.ext"
  openssl x509 -req -in "$d/$name.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 7 \
    -extfile "$d/$name.ext" -out "$d/$name.crt" 2>/dev/null
}

gen_pki() {
  local s=$1 d=$1/pki
  mkdir -p "$d"
  openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$d/ca.key" -subj "/CN=helloagents-test-ca" -days 7 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
    -out "$d/ca.crt" 2>/dev/null
  openssl req -new -newkey rsa:2048 -nodes -keyout "$d/apiserver.key" -subj "/CN=kube-apiserver" -out "$d/apiserver.csr" 2>/dev/null
  cat >"$d/apiserver.ext" <<EOF
subjectAltName=IP:127.0.0.1,IP:$SERVICE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
extendedKeyUsage=serverAuth
keyUsage=critical,digitalSignature,keyEncipherment
EOF
  openssl x509 -req -in "$d/apiserver.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 7 \
    -extfile "$d/apiserver.ext" -out "$d/apiserver.crt" 2>/dev/null
  openssl genrsa -out "$d/sa.key" 2048 2>/dev/null
  openssl rsa -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null
  # Identities: the admin is in system:masters; the components get the users the RBAC bootstrap policy grants.
  gen_client_cert "$s" admin helloagents-admin system:masters
  gen_client_cert "$s" controller-manager system:kube-controller-manager system:kube-controller-manager
  gen_client_cert "$s" scheduler system:kube-scheduler system:kube-scheduler
  gen_client_cert "$s" kwok kwok-controller system:masters
  # A static bearer token too (--token-auth-file is still supported in $K8S_VERSION), for clients that prefer tokens.
  openssl rand -hex 24 >"$s/admin.token"
  printf '%s,helloagents-admin-token,helloagents-admin-token,"system:masters"\n' "$(cat "$s/admin.token")" >"$d/tokens.csv"
}

write_kubeconfig() { # file user-cert-name server
  local file=$1 name=$2 server=$3 d
  d="$(dirname "$file")/pki"
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: helloagents-test
  cluster: {server: "$server", certificate-authority: "$d/ca.crt"}
users:
- name: $name
  user: {client-certificate: "$d/$name.crt", client-key: "$d/$name.key"}
contexts:
- name: helloagents-test
  context: {cluster: helloagents-test, user: $name, namespace: default}
current-context: helloagents-test
EOF
}

# ---------------------------------------------------------------------------------------------------------- processes
start_proc() { # name command...
  local s=$STATE name=$1; shift
  printf '%s\0' "$@" >"$s/pids/$name.cmd" # for start-component
  # Appended: a component restarted by start-component keeps the log of its earlier run above the new one.
  printf -- '--- %s started %s\n' "$name" "$(date -u +%FT%TZ)" >>"$s/logs/$name.log"
  nohup "$@" </dev/null >>"$s/logs/$name.log" 2>&1 &
  echo $! >"$s/pids/$name.pid"
}

# Only signal a PID that still runs a command pointing into this state dir (guards against PID reuse).
ours() { [[ -r /proc/$1/cmdline ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF -- "$2"; }

stop_all() { # state dir
  local s=$1 f pid name i
  [[ -d "$s/pids" ]] || return 0
  for name in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
    f="$s/pids/$name.pid"
    [[ -f "$f" ]] || continue
    pid="$(cat "$f")"
    if ours "$pid" "$s"; then
      kill -TERM "$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do ours "$pid" "$s" || break; sleep 0.2; done
      if ours "$pid" "$s"; then log "$name ($pid) ignored TERM for 10s: KILL"; kill -KILL "$pid" 2>/dev/null || true; fi
    fi
    rm -f "$f"
  done
}

alive() { # state dir: every recorded process still runs
  local s=$1 name
  for name in etcd kube-apiserver kube-controller-manager kube-scheduler kwok; do
    [[ -f "$s/pids/$name.pid" ]] && ours "$(cat "$s/pids/$name.pid")" "$s" || return 1
  done
}

wait_for() { # seconds description command...
  local secs=$1 what=$2 deadline=$((SECONDS + $1)); shift 2
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then log "timed out after ${secs}s waiting for $what"; return 1; fi
    alive_partial || { log "a component exited while waiting for $what"; return 1; }
    sleep 0.3
  done
}

alive_partial() { # every process started so far still runs
  local f
  for f in "$STATE"/pids/*.pid; do [[ -e "$f" ]] || continue; ours "$(cat "$f")" "$STATE" || return 1; done
}

kc() { kubectl --kubeconfig "$STATE/kubeconfig" "$@"; }

on_up_failure() {
  local rc=$?
  ((rc == 0)) && return 0
  log "up failed (exit $rc); last log lines:"
  local f
  for f in "$STATE"/logs/*.log; do [[ -f "$f" ]] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }; done
  stop_all "$STATE"
  if [[ "${K8S_KEEP_STATE:-0}" == 1 ]]; then log "kept $STATE (K8S_KEEP_STATE=1)"; else rm -rf "$STATE"; fi
  exit "$rc"
}

cmd_up() {
  local existing
  if existing="$(state_dir)" && [[ -f "$existing/kubeconfig" ]] && alive "$existing"; then
    log "already up in $existing"
    return 0
  fi
  local t0=$SECONDS
  cmd_build
  if [[ -n "${K8S_STATE_DIR:-}" ]]; then STATE="$K8S_STATE_DIR"; mkdir -p "$STATE"; else STATE="$(mktemp -d -t helloagents-k8s.XXXXXX)"; fi
  STATE="$(cd "$STATE" && pwd)"
  stop_all "$STATE" # leftovers of a crashed cluster in the same dir
  rm -rf "${STATE:?}"/{etcd,logs,pids,pki,kubeconfig}
  mkdir -p "$STATE"/{logs,pids}
  trap on_up_failure EXIT
  gen_pki "$STATE"

  local etcd_port etcd_peer api_port kcm_port sched_port server
  etcd_port="$(free_port)"; etcd_peer="$(free_port)"; api_port="$(free_port)"; kcm_port="$(free_port)"; sched_port="$(free_port)"
  server="https://127.0.0.1:$api_port"
  write_kubeconfig "$STATE/kubeconfig" admin "$server"
  write_kubeconfig "$STATE/controller-manager.kubeconfig" controller-manager "$server"
  write_kubeconfig "$STATE/scheduler.kubeconfig" scheduler "$server"
  write_kubeconfig "$STATE/kwok.kubeconfig" kwok "$server"

  local etcd
  etcd="$(etcd_bin)"
  log "starting etcd ($("$etcd" --version | sed -n 's/^etcd Version: //p')) on 127.0.0.1:$etcd_port"
  start_proc etcd "$etcd" --name default --data-dir "$STATE/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "default=http://127.0.0.1:$etcd_peer" --logger zap --log-level warn
  wait_for 30 etcd curl -fsS "http://127.0.0.1:$etcd_port/health"

  log "starting kube-apiserver $K8S_VERSION on $server"
  # RBAC (not AlwaysAllow): the deploy engine's permissions are checked as in production; the Node authorizer is left
  # out because no kubelet runs. --endpoint-reconciler-type none: the `kubernetes` Service may not point at loopback,
  # and nothing here runs inside a pod.
  # shellcheck disable=SC2086 # K8S_APISERVER_EXTRA_ARGS is a list of flags
  start_proc kube-apiserver "$BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" --cert-dir "$STATE/pki" \
    --tls-cert-file "$STATE/pki/apiserver.crt" --tls-private-key-file "$STATE/pki/apiserver.key" \
    --client-ca-file "$STATE/pki/ca.crt" --token-auth-file "$STATE/pki/tokens.csv" \
    --authorization-mode RBAC \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$STATE/pki/sa.pub" --service-account-signing-key-file "$STATE/pki/sa.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" --endpoint-reconciler-type none --allow-privileged=true --profiling=false --v=1 \
    ${K8S_APISERVER_EXTRA_ARGS:-}
  wait_for 90 "kube-apiserver /readyz" kc get --raw /readyz

  log "starting kube-controller-manager, kube-scheduler and kwok $KWOK_VERSION"
  start_proc kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig "$STATE/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$STATE/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$STATE/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$kcm_port" --cert-dir "$STATE/pki/kcm" --leader-elect=false \
    --controllers '*' --use-service-account-credentials=true \
    --service-account-private-key-file "$STATE/pki/sa.key" --root-ca-file "$STATE/pki/ca.crt" \
    --cluster-signing-cert-file "$STATE/pki/ca.crt" --cluster-signing-key-file "$STATE/pki/ca.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" --profiling=false --v=1
  start_proc kube-scheduler "$BIN/kube-scheduler" \
    --kubeconfig "$STATE/scheduler.kubeconfig" \
    --authentication-kubeconfig "$STATE/scheduler.kubeconfig" --authorization-kubeconfig "$STATE/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$sched_port" --leader-elect=false --profiling=false --v=1
  start_proc kwok "$BIN/kwok" --kubeconfig "$STATE/kwok.kubeconfig" \
    --config "$HERE/stages/pod-behaviors.yaml" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --cidr "$POD_CIDR" --node-lease-duration-seconds 40

  wait_for 60 "the default ServiceAccount" kc -n default get serviceaccount default

  local i nodes=""
  for ((i = 0; i < NODE_COUNT; i++)); do
    nodes+="$(cat <<EOF
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {type: kwok, kubernetes.io/hostname: kwok-node-$i, kubernetes.io/os: linux, kubernetes.io/arch: amd64}
---
EOF
)"$'\n'
  done
  kc apply -f - <<<"$nodes" >/dev/null
  wait_for 60 "kwok nodes to be Ready" kc wait --for=condition=Ready node --all --timeout=1s

  [[ -n "${K8S_STATE_DIR:-}" ]] || { mkdir -p "$CACHE_ROOT"; printf '%s\n' "$STATE" >"$POINTER"; }
  trap - EXIT
  log "up in $((SECONDS - t0))s: $NODE_COUNT kwok nodes, state $STATE"
  log "use it with: eval \"\$(K8S_STATE_DIR=$STATE $0 env)\""
}

cmd_env() {
  local s
  s="$(state_dir)" && [[ -f "$s/kubeconfig" ]] || die "no cluster found (set K8S_STATE_DIR or run: $0 up)"
  printf 'export K8S_STATE_DIR=%q\nexport KUBECONFIG=%q\n' "$s" "$s/kubeconfig"
}

cmd_status() {
  local s
  if s="$(state_dir)" && [[ -f "$s/kubeconfig" ]] && alive "$s" \
    && kubectl --kubeconfig "$s/kubeconfig" get --raw /readyz >/dev/null 2>&1; then
    echo "up: $s"
  else
    echo "down"; return 1
  fi
}

cmd_down() {
  local s
  s="$(state_dir)" || { log "no cluster to stop"; return 0; }
  [[ -d "$s" ]] || { log "no cluster in $s"; rm -f "$POINTER"; return 0; }
  stop_all "$s"
  rm -rf "$s"
  if [[ -f "$POINTER" && "$(cat "$POINTER")" == "$s" ]]; then rm -f "$POINTER"; fi
  log "down: stopped and removed $s"
}

cmd_stop_component() { # name [--kill]
  local name=${1:?component name} pid i signal=TERM
  [[ "${2:-}" == --kill ]] && signal=KILL
  STATE="$(state_dir)" || die "no cluster found"
  [[ -f "$STATE/pids/$name.pid" ]] || die "$name is not running"
  pid="$(cat "$STATE/pids/$name.pid")"
  if ours "$pid" "$STATE"; then
    kill -"$signal" "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do ours "$pid" "$STATE" || break; sleep 0.2; done
    if ours "$pid" "$STATE"; then kill -KILL "$pid" 2>/dev/null || true; fi
    # KILL is asynchronous: wait until the process is gone, or its successor may find the port still bound.
    for ((i = 0; i < 50; i++)); do ours "$pid" "$STATE" || break; sleep 0.1; done
  fi
  rm -f "$STATE/pids/$name.pid"
  log "stopped $name ($pid)"
}

secure_port() { # argv...: the value of --secure-port, if any
  while (($#)); do [[ "$1" == --secure-port ]] && { printf '%s\n' "${2:-}"; return; }; shift; done
}

cmd_start_component() { # name
  local name=${1:?component name}
  STATE="$(state_dir)" || die "no cluster found"
  [[ -f "$STATE/pids/$name.cmd" ]] || die "no recorded command line for $name"
  if [[ -f "$STATE/pids/$name.pid" ]] && ours "$(cat "$STATE/pids/$name.pid")" "$STATE"; then log "$name already runs"; return 0; fi
  local -a argv
  mapfile -d '' -t argv <"$STATE/pids/$name.cmd"
  local attempt port=""
  for ((attempt = 1; ; attempt++)); do
    start_proc "$name" "${argv[@]}"
    log "started $name ($(cat "$STATE/pids/$name.pid"))"
    # A component with a secure port (the controller manager, the scheduler) must answer /healthz before it counts as
    # started: one that exits at once (a port still bound) would otherwise leave the cluster without controllers.
    port="$(secure_port "${argv[@]}")"
    [[ -z "$port" || "$name" == kube-apiserver ]] && break # the API server: /readyz below
    if wait_for 30 "$name /healthz" curl -kfsS "https://127.0.0.1:$port/healthz"; then break; fi
    ((attempt < 3)) || { tail -n 20 "$STATE/logs/$name.log" >&2; die "$name did not come back after $attempt starts"; }
    log "$name is not healthy: starting it again"
    cmd_stop_component "$name" --kill 2>/dev/null || true
  done
  if [[ "$name" == kube-apiserver ]]; then
    wait_for 90 "kube-apiserver /readyz" kc get --raw /readyz
    # The clients of a restarted API server get 403s until its RBAC cache is warm, and their informers then back off
    # for a minute or more: restart them too, as a control plane restart would (fresh informers sync in seconds).
    local c
    for c in kube-controller-manager kube-scheduler kwok; do
      [[ -f "$STATE/pids/$c.pid" ]] && cmd_stop_component "$c"
      cmd_start_component "$c"
    done
  fi
}

case "${1:-}" in
  build) cmd_build ;;
  up) cmd_up ;;
  env) cmd_env ;;
  status) cmd_status ;;
  down) cmd_down ;;
  stop-component) cmd_stop_component "${2:-}" "${3:-}" ;;
  start-component) cmd_start_component "${2:-}" ;;
  *) echo "usage: $0 build|up|down|env|status|stop-component NAME [--kill]|start-component NAME" >&2; exit 2 ;;
esac
