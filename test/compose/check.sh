#!/usr/bin/env bash
# Compose files checked offline (no image can be pulled here): `docker-compose config` must accept every
# supported combination, and the rendered config must keep the properties the README promises.
set -euo pipefail
cd "$(dirname "$0")/../.."
export POSTGRES_PASSWORD=compose-check-only
fails=0
ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }
check() { local name=$1; shift; if "$@" >/dev/null 2>&1; then ok "$name"; else bad "$name"; fi; }

base=$(docker-compose -f docker-compose.yml config)
prod=$(docker-compose -f docker-compose.yml --profile production config --services)
dev=$(docker-compose -f docker-compose.yml -f docker-compose.dev.yml config)
check "dev file alone is valid (frontend dev server)" docker-compose -f docker-compose.dev.yml config -q

services=$(docker-compose -f docker-compose.yml config --services | sort | tr '\n' ' ')
[[ "$services" == "backend frontend nginx postgres redis " ]] && ok "services: $services" || bad "services: $services"
grep -qx nginx <<<"$prod" && grep -A1 'profiles:' <<<"$base" | grep -q -- '- production' \
  && ok "nginx reverse proxy only under profile production" || bad "nginx reverse proxy only under profile production"
grep -q 'image: postgres:16-alpine@sha256:[0-9a-f]\{64\}' <<<"$base" && ok "postgres 16 pinned by digest" || bad "postgres 16 pinned by digest"
grep -q 'image: redis:7-alpine@sha256:[0-9a-f]\{64\}' <<<"$base" && ok "redis 7 pinned by digest" || bad "redis 7 pinned by digest"
grep -q 'condition: service_healthy' <<<"$base" && ok "backend waits for healthy database and cache" || bad "depends_on health conditions"
grep -q -- '--reload' <<<"$dev" && grep -q 'target: dev' <<<"$dev" && ok "dev override: hot reload on dev targets" || bad "dev override: hot reload"
grep -q 'LOG_LEVEL: DEBUG' <<<"$dev" && ok "dev override: debug logging" || bad "dev override: debug logging"
if env -u POSTGRES_PASSWORD docker-compose -f docker-compose.yml config -q 2>/dev/null; then
  bad "a missing POSTGRES_PASSWORD is refused"
else
  ok "a missing POSTGRES_PASSWORD is refused"
fi
urls=$(VITE_API_URL=https://api.example.test VITE_WS_URL=wss://ws.example.test/socket docker-compose -f docker-compose.yml config)
grep -q "VITE_API_URL: ''" <<<"$base" && grep -q "VITE_WS_URL: ''" <<<"$base" \
  && grep -q 'VITE_API_URL: https://api.example.test' <<<"$urls" && grep -q 'VITE_WS_URL: wss://ws.example.test/socket' <<<"$urls" \
  && ok "console build args VITE_API_URL, VITE_WS_URL from the environment (empty by default)" \
  || bad "console build args VITE_API_URL, VITE_WS_URL from the environment (empty by default)"
for f in backend/Dockerfile frontend/Dockerfile; do
  grep -qiE '^FROM .+ AS dev$' "$f" && ok "$f has the dev target compose uses" || bad "$f has a dev target"
done

# The reverse proxy config passes `nginx -t` (upstream host swapped for loopback: nothing resolves here).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed 's/server frontend:8080;/server 127.0.0.1:9;/' compose/reverse-proxy.conf >"$work/site.conf"
cat >"$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/error.log;
events {}
http {
  access_log off;
  client_body_temp_path $work/body; proxy_temp_path $work/proxy; fastcgi_temp_path $work/fcgi;
  uwsgi_temp_path $work/uwsgi; scgi_temp_path $work/scgi;
  include $work/site.conf;
}
CONF
check "compose/reverse-proxy.conf passes nginx -t" nginx -t -q -c "$work/nginx.conf"

printf 'compose: %d failed\n' "$fails"
exit $((fails > 0))
