#!/usr/bin/env bash
# The engine lab's real-engine suite: build (cached) and start the lab, run the module's functions on the lab engine
# against a copy of this repository's HEAD pointed at the stand-in images, stop the lab by PID. One JUnit test case per
# run, with its time and, when it fails, the tail of its output.
#   bash ci/test/engine/test.sh [case…]          (default: every case below, in order)
# Writes ${REPORTS_DIR:-reports}/engine-junit.xml; each case's full log stays in the work dir printed at the end.
# ENGINE_LAB_EXTERNAL=1 runs the same cases on the dagger CLI and engine this shell already has (a machine with a
# working `dagger` and Docker): no lab build, up or down, and the copy keeps the real image pins.
# Exit: 0 every case passed, 1 a case failed, 2 bad usage, 3 the lab did not come up.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
REPORTS_DIR="${REPORTS_DIR:-reports}"
mkdir -p "$REPORTS_DIR"
REPORTS_DIR="$(cd "$REPORTS_DIR" && pwd)"
EXTERNAL="${ENGINE_LAB_EXTERNAL:-}"
ALL=(functions test lint backend-image-health frontend-image-health dev-through-nginx test-reports release-dry-run
  tests-module planted-failure deploy)
# deploy needs the lab's registry and veth (its URLs and image repositories name them): lab only.
[[ -z "${ENGINE_LAB_EXTERNAL:-}" ]] || ALL=("${ALL[@]:0:${#ALL[@]}-1}")
CASES=("${@:-${ALL[@]}}")
for c in "${CASES[@]}"; do
  [[ " ${ALL[*]} " == *" $c "* ]] || { echo "test.sh: unknown case '$c'; cases: ${ALL[*]}" >&2; exit 2; }
done

WORK="$(mktemp -d -t helloagents-engine-test.XXXXXX)"
LOGS="$WORK/logs"
mkdir -p "$LOGS"
RESULTS="$WORK/results.tsv" # name status seconds message
: >"$RESULTS"
log() { printf '[engine-test] %s\n' "$*" >&2; }

K8S="$HERE/../k8s/cluster.sh"
cleanup() { # by PID, in each script's own way; the deploy case normally stops its cluster itself
  if [[ -d "$WORK/k8s" ]]; then K8S_STATE_DIR="$WORK/k8s" bash "$K8S" down || true; fi
  bash "$HERE/lab.sh" down
}

t0=$SECONDS
if [[ -z "$EXTERNAL" ]]; then
  bash "$HERE/lab.sh" build
  export ENGINE_LAB_STATE_DIR="$WORK/lab"
  trap 'cleanup' EXIT
  t=$SECONDS
  bash "$HERE/lab.sh" up || exit 3
  log "lab up in $((SECONDS - t))s"
  eval "$(bash "$HERE/lab.sh" env)"
fi
command -v dagger >/dev/null || { log "no dagger CLI on PATH"; exit 2; }

# The module runs on a copy: HEAD of this repository (committed work only), with the lab's stand-in pins.
COPY="$WORK/copy"
git clone --quiet --local "$REPO" "$COPY"
[[ -n "$EXTERNAL" ]] || python3 "$HERE/pin-standins.py" "$COPY" "$ENGINE_LAB_PINS" >&2
log "module copy at $COPY ($(git -C "$COPY" rev-parse --short HEAD))"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# ------------------------------------------------------------------------------------------------------------- runners
# Each case function prints nothing on success and one line saying what was wrong on failure (its return status too).
LOG="" # the current case's log

run_dagger() { # dir args…: run dagger in dir, output to the case log; returns dagger's status
  local dir=$1; shift
  (cd "$dir" && timeout 1800 nice -n 5 dagger "$@") >>"$LOG" 2>&1
}

expect_in_log() { # regex what
  grep -Eq -- "$1" <(sed 's/\x1b\[[0-9;]*m//g' "$LOG") || { echo "$2"; return 1; }
}

serve_and_probe() { # port url body-regex dagger-args…: `dagger call … up --ports port:…` in the background until the
  local port=$1 url=$2 want=$3 pid body="" start=$SECONDS; shift 3 # URL answers 200 with a body matching the regex
  (cd "$COPY" && exec nice -n 5 dagger call "$@") >>"$LOG" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null && ((SECONDS - start < 900)); do
    if body="$(curl -fsS -m 5 "$url" 2>/dev/null)"; then break; fi
    sleep 2
  done
  printf '\n--- GET %s after %ss:\n%s\n' "$url" "$((SECONDS - start))" "$body" >>"$LOG"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  else
    wait "$pid" 2>/dev/null || true
    echo "dagger exited before $url answered"
    return 1
  fi
  [[ "$body" =~ $want ]] || { echo "GET $url answered '${body:0:200}', expected /$want/"; return 1; }
}

# --------------------------------------------------------------------------------------------------------------- cases
case_functions() {
  run_dagger "$COPY" functions || { echo "dagger functions exited $?"; return 1; }
  expect_in_log '^release +Release the images' "no 'release' function listed" &&
    expect_in_log '^deploy +' "no 'deploy' function listed"
}

case_test() {
  run_dagger "$COPY" call test || { echo "dagger call test exited $?"; return 1; }
  expect_in_log '## test: all 4 stages passed' "no '## test: all 4 stages passed'" &&
    expect_in_log '[0-9]+ passed' "no pytest/vitest pass count in the output"
}

case_lint() {
  run_dagger "$COPY" call lint || { echo "dagger call lint exited $?"; return 1; }
  expect_in_log '## lint: all [0-9]+ stages passed' "no '## lint: all … stages passed'"
}

case_backend-image-health() { # liveness answers without PostgreSQL or Redis
  local port
  port="$(free_port)"
  serve_and_probe "$port" "http://127.0.0.1:$port/health" '"status":"pass".*"serviceId":"helloagents-backend"' \
    backend-image with-exposed-port --port 8000 as-service --use-entrypoint up --ports "$port:8000"
}

case_frontend-image-health() { # nginx resolves its upstream at start: point it at an address that needs no DNS
  local port
  port="$(free_port)"
  serve_and_probe "$port" "http://127.0.0.1:$port/health" '^ok' \
    frontend-image with-env-variable --name BACKEND_UPSTREAM --value 127.0.0.1:8000 with-exposed-port --port 8080 \
    as-service --use-entrypoint up --ports "$port:8080"
}

case_dev-through-nginx() { # the whole stack: nginx proxies /api/ to the backend, which reaches PostgreSQL and Redis
  local port
  port="$(free_port)"
  serve_and_probe "$port" "http://127.0.0.1:$port/api/health/db" '"postgres:connection".*"status":"pass"' \
    dev up --ports "$port:8080" || return 1
}

case_test-reports() {
  local out="$WORK/test-reports"
  run_dagger "$COPY" call test-reports export --path "$out" || { echo "test-reports export exited $?"; return 1; }
  local f missing=()
  for f in backend/junit.xml backend/coverage.xml frontend/reports/junit.xml frontend/coverage/cobertura-coverage.xml; do
    [[ -s "$out/$f" ]] || missing+=("$f")
  done
  find "$out" -type f | sed "s|^$out/|exported: |" >>"$LOG"
  ((${#missing[@]} == 0)) || { echo "missing from the export: ${missing[*]}"; return 1; }
  grep -q '<testsuite' "$out/backend/junit.xml" || { echo "backend/junit.xml is not JUnit"; return 1; }
}

case_release-dry-run() { # one platform: the lab has amd64 stand-ins only
  local out="$WORK/release"
  run_dagger "$COPY" call release --version v1.2.3 --dry-run --platforms linux/amd64 export --path "$out" ||
    { echo "release --dry-run exited $?"; return 1; }
  python3 - "$out/release.json" >>"$LOG" 2>&1 <<'PY' || { echo "release.json lacks a read-back digest per image and platform"; return 1; }
import json, sys
r = json.load(open(sys.argv[1]))
assert r["dryRun"] is True and r["signed"] is False, (r["dryRun"], r["signed"])
assert r["tags"][:2] == ["1.2.3", "1.2"], r["tags"]
assert len(r["images"]) == 2, [i["name"] for i in r["images"]]
for image in r["images"]:
    read = {p["platform"]: p["digest"] for p in image["platforms"]}
    print(image["name"], image["digest"], read)
    assert read.get("linux/amd64", "") and read["linux/amd64"].startswith("sha256:"), image["name"]
PY
}

case_tests-module() { # the lab has no arm64 stand-ins: its two multi-platform tests (build, release-dry-run) need them
  if [[ -n "$EXTERNAL" ]]; then
    run_dagger "$COPY" -m dagger/tests call all || { echo "dagger -m dagger/tests call all exited $?"; return 1; }
    return 0
  fi
  local fn
  for fn in test-reports dev smoke-images release-refuses-bad-version; do
    run_dagger "$COPY" -m dagger/tests call "$fn" || { echo "dagger -m dagger/tests call $fn exited $?"; return 1; }
  done
}

case_planted-failure() { # a failing backend test in a second copy: `dagger call test` must fail and name the stage
  local planted="$WORK/planted"
  rm -rf "$planted" && cp -a "$COPY" "$planted"
  cat >"$planted/backend/tests/test_planted_failure.py" <<'PY'
def test_planted_failure_from_the_engine_lab() -> None:
    assert 1 + 1 == 3, "planted by ci/test/engine/test.sh"
PY
  if run_dagger "$planted" call test; then echo "dagger call test passed with a failing backend test"; return 1; fi
  expect_in_log '\| backend-test \| FAILED \|' "the summary does not name backend-test as FAILED" &&
    expect_in_log 'test_planted_failure_from_the_engine_lab' "the output does not name the failing test" &&
    expect_in_log '\| frontend-test \| passed \|' "the other stages did not run to their own verdict"
}

case_deploy() { # deploy, deploy again, roll back: the test cluster of ci/test/k8s, reached through --api-server
  bash "$K8S" build >>"$LOG" 2>&1 || { echo "cluster.sh build failed"; return 1; }
  K8S_STATE_DIR="$WORK/k8s" bash "$K8S" up >>"$LOG" 2>&1 || { echo "cluster.sh up failed"; return 1; }
  local port dev status=0
  port="$(free_port)"
  # The dev stack on the host is what the environment's URLs (preview smoke, bake) reach.
  (cd "$COPY" && exec nice -n 5 dagger call dev up --ports "$port:8080") >>"$LOG.dev" 2>&1 &
  dev=$!
  deploy_steps "$port" || status=$?
  kill -TERM "$dev" 2>/dev/null || true
  wait "$dev" 2>/dev/null || true
  K8S_STATE_DIR="$WORK/k8s" bash "$K8S" down >>"$LOG" 2>&1 || true
  rm -rf "$WORK/k8s" "$WORK/kubeconfig" # the throwaway cluster's credentials do not outlive it
  return "$status"
}

deploy_steps() { # port
  local port=$1 k="$WORK/k8s" copy="$WORK/deploy-copy" server api img ref
  server="$(sed -n 's/.*server: "\(https:[^"]*\)".*/\1/p' "$k/kubeconfig")"
  api="${server##*:}"
  # The module takes a kubeconfig with embedded credentials (kubectl config view --raw --flatten).
  python3 - "$k" "$server" >"$WORK/kubeconfig" <<'PY'
import base64, sys
k, server = sys.argv[1], sys.argv[2]
b = lambda name: base64.b64encode(open(f"{k}/pki/{name}", "rb").read()).decode()
print(f"""apiVersion: v1
kind: Config
clusters: [{{name: lab, cluster: {{server: "{server}", certificate-authority-data: "{b('ca.crt')}"}}}}]
users: [{{name: admin, user: {{client-certificate-data: "{b('admin.crt')}", client-key-data: "{b('admin.key')}"}}}}]
contexts: [{{name: lab, context: {{cluster: lab, user: admin}}}}]
current-context: lab""")
PY
  local curl_k=(curl -fsS --cacert "$k/pki/ca.crt" --cert "$k/pki/admin.crt" --key "$k/pki/admin.key" -H 'content-type: application/json')
  "${curl_k[@]}" -X POST "$server/api/v1/namespaces" \
    -d '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"helloagents-lab"}}' >>"$LOG" ||
    { echo "could not create the namespace"; return 1; }
  local tries=0 # the API server refuses objects in a namespace until its default ServiceAccount exists
  until "${curl_k[@]}" "$server/api/v1/namespaces/helloagents-lab/serviceaccounts/default" >/dev/null 2>&1; do
    ((++tries < 120)) || { echo "namespace helloagents-lab got no default ServiceAccount"; return 1; }
    sleep 0.5
  done
  "${curl_k[@]}" -X POST "$server/api/v1/namespaces/helloagents-lab/secrets" -d '{"apiVersion":"v1","kind":"Secret",
    "metadata":{"name":"helloagents-runtime"},"type":"Opaque","stringData":{"DATABASE_URL":"lab-db","REDIS_URL":"lab-redis",
    "ANTHROPIC_API_KEY":"lab-anthropic","OPENAI_API_KEY":"lab-openai"}}' >>"$LOG" || { echo "could not create the runtime Secret"; return 1; }
  rm -rf "$copy" && cp -a "$COPY" "$copy"
  sed "s/@PORT@/$port/g" "$HERE/lab-environment.yaml" >>"$copy/ci/config/environments.yaml"
  # Two releases in the lab registry, by tag; v1.2.4 differs by a label, so its digests differ.
  for img in backend frontend; do
    for v in 1.2.3 1.2.4; do
      ref="$(cd "$copy" && timeout 900 nice -n 5 dagger call "$img-image" with-label --name lab.release --value "$v" \
        publish --address "$ENGINE_LAB_REGISTRY/helloagents/helloagents-$img:$v" 2>>"$LOG")" ||
        { echo "could not publish $img $v"; return 1; }
      printf '%s\n' "$ref" | tee -a "$LOG" >"$WORK/published-$img-$v"
    done
  done
  local s=$SECONDS
  until curl -fsS -m 3 "http://127.0.0.1:$port/api/health/db" >/dev/null 2>&1; do
    ((SECONDS - s < 600)) || { echo "the dev stack did not answer on port $port"; return 1; }
    sleep 2
  done
  local access=(--kubeconfig "file:$WORK/kubeconfig" --api-server "tcp://localhost:$api")
  local v
  for v in v1.2.3 v1.2.4; do
    run_dagger "$copy" call deploy --env lab --version "$v" "${access[@]}" --actor engine-lab export --path "$WORK/deploy-$v" ||
      { echo "deploy $v exited $?"; return 1; }
    deployed_by_digest "$v" "$server" || return 1
  done
  run_dagger "$copy" call rollback --env lab "${access[@]}" --actor engine-lab export --path "$WORK/rollback" || { echo "rollback exited $?"; return 1; }
  python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); sys.exit(0 if (r["kind"], r["version"], r["exitCode"]) == ("rollback", "v1.2.3", 0) else 1)' \
    "$WORK/rollback/report.json" || { echo "rollback report.json is not a rollback to v1.2.3 with exit 0"; return 1; }
  run_dagger "$copy" call status --env lab "${access[@]}" || { echo "status exited $?"; return 1; }
  expect_in_log 'Live: \*\*(blue|green) v1\.2\.3' "status does not say v1.2.3 is live after the rollback" || return 1
  if grep -qF "$(sed -n 's/.*client-key-data: "\([^"]\{40\}\).*/\1/p' "$WORK/kubeconfig")" "$LOG"; then
    echo "the kubeconfig's client key appears in the output"; return 1
  fi
}

deployed_by_digest() { # version server: the live Deployments run exactly the digests publish returned for that version
  local v=${1#v} server=$2 k="$WORK/k8s"
  curl -fsS --cacert "$k/pki/ca.crt" --cert "$k/pki/admin.crt" --key "$k/pki/admin.key" \
    "$server/apis/apps/v1/namespaces/helloagents-lab/deployments" >"$WORK/deployments.json" || { echo "could not list Deployments"; return 1; }
  python3 - "$WORK/deployments.json" "$WORK/published-backend-$v" "$WORK/published-frontend-$v" "$WORK/deploy-v$v/report.json" \
    >>"$LOG" <<'PY' || { echo "v$v: no Deployment runs the published digests, or the report is not a deploy with exit 0"; return 1; }
import json, sys
items, refs = json.load(open(sys.argv[1]))["items"], [open(f).read().strip() for f in sys.argv[2:4]]
report = json.load(open(sys.argv[4]))
images = {c["image"] for d in items for c in d["spec"]["template"]["spec"]["containers"]}
print("deployment images:", sorted(images))
for ref in refs:  # repo:tag@sha256:… → repo@sha256:…
    repo, digest = ref.split("@")
    assert f"{repo.rsplit(':', 1)[0]}@{digest}" in images, ref
assert report["kind"] == "deploy" and report["exitCode"] == 0, report.get("reason")
PY
}

# ----------------------------------------------------------------------------------------------------------------- run
failed=0
for c in "${CASES[@]}"; do
  LOG="$LOGS/$c.log"
  : >"$LOG"
  log "case $c…"
  start=$SECONDS
  set +e
  msg="$("case_$c")"
  status=$?
  set -e
  secs=$((SECONDS - start))
  if ((status == 0)); then
    log "case $c passed in ${secs}s"
    printf '%s\tpassed\t%s\t\n' "$c" "$secs" >>"$RESULTS"
  else
    failed=$((failed + 1))
    log "case $c FAILED in ${secs}s: ${msg:-exit $status}"
    sed 's/\x1b\[[0-9;]*m//g' "$LOG" | tail -25 | sed 's/^/    /' >&2
    printf '%s\tfailed\t%s\t%s\n' "$c" "$secs" "${msg:-exit $status}" >>"$RESULTS"
  fi
done

python3 - "$RESULTS" "$LOGS" "$REPORTS_DIR/engine-junit.xml" "${EXTERNAL:+external}" <<'PY'
import sys, re
from xml.sax.saxutils import escape, quoteattr
results, logs, out, mode = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] or "lab"
rows = [line.rstrip("\n").split("\t", 3) for line in open(results) if line.strip()]
ansi = re.compile(r"\x1b\[[0-9;]*m")
cases = []
for name, status, secs, msg in rows:
    body = ""
    if status == "failed":
        tail = "\n".join(ansi.sub("", open(f"{logs}/{name}.log", errors="replace").read()).splitlines()[-60:])
        body = f"<failure message={quoteattr(msg)}>{escape(tail)}</failure>"
    cases.append(f'  <testcase classname="engine-{mode}" name={quoteattr(name)} time="{secs}">{body}</testcase>')
failures = sum(1 for r in rows if r[1] == "failed")
total = sum(int(r[2]) for r in rows)
with open(out, "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    f.write(f'<testsuite name="dagger-engine-{mode}" tests="{len(rows)}" failures="{failures}" time="{total}">\n')
    f.write("\n".join(cases) + "\n</testsuite>\n")
PY
passed=$((${#CASES[@]} - failed))
log "logs: $LOGS; JUnit: $REPORTS_DIR/engine-junit.xml; total $((SECONDS - t0))s"
echo "engine: $passed passed, $failed failed"
((failed == 0))
