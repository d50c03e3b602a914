#!/bin/sh
# Lab stand-in for the nginx image's 20-envsubst-on-templates.sh: render $NGINX_ENVSUBST_TEMPLATE_DIR/*.template into
# $NGINX_ENVSUBST_OUTPUT_DIR with envsubst, substituting only the variables whose names match $NGINX_ENVSUBST_FILTER.
set -e
dir="${NGINX_ENVSUBST_TEMPLATE_DIR:-/etc/nginx/templates}"
suffix="${NGINX_ENVSUBST_TEMPLATE_SUFFIX:-.template}"
out="${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}"
filter="${NGINX_ENVSUBST_FILTER:-}"
[ -d "$dir" ] || exit 0
# shellcheck disable=SC2016,SC2046 # envsubst wants the literal ${NAME} list; names never contain spaces
defined="$(printf '${%s} ' $(awk "END { for (name in ENVIRON) { print ( name ~ /${filter}/ ) ? name : \"\" } }" </dev/null))"
find "$dir" -follow -type f -name "*$suffix" -print | while read -r template; do
  rel="${template#"$dir/"}"
  target="$out/${rel%"$suffix"}"
  mkdir -p "$(dirname "$target")"
  envsubst "$defined" <"$template" >"$target"
  echo "20-envsubst-on-templates.sh: rendered $template to $target"
done
