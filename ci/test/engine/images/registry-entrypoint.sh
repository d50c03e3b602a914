#!/bin/sh
# Lab stand-in for the registry image's /entrypoint.sh: `registry serve <config>` unless another command is given.
set -e
case "$1" in
  *.yaml|*.yml) set -- registry serve "$@" ;;
  serve|garbage-collect|help|-*) set -- registry "$@" ;;
esac
exec "$@"
