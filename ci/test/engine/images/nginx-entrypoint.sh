#!/bin/sh
# Lab stand-in for the nginx image's /docker-entrypoint.sh: when starting nginx, run /docker-entrypoint.d/*.sh first.
set -e
if [ "${1:-}" = nginx ] || [ "${1:-}" = nginx-debug ]; then
  for f in /docker-entrypoint.d/*.sh; do
    [ -x "$f" ] && "$f"
  done
fi
exec "$@"
