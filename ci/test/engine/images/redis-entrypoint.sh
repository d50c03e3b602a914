#!/bin/sh
# Lab stand-in for the redis image's entrypoint: run redis-server as the redis user, reachable from other containers
# (no protected mode, every address), like the upstream image without a config file.
set -eu
if [ "${1:-}" = redis-server ]; then
  shift
  exec setpriv --reuid=redis --regid=redis --init-groups redis-server --bind '* -::*' --protected-mode no "$@"
fi
exec "$@"
