#!/usr/bin/env bash
# PID 1 of the lab engine's namespaces (started by lab.sh inside its own network namespace, with
# `unshare --mount --pid --fork`): build the engine's root filesystem as an overlay over the cached rootfs, mount what a
# container runtime gives a privileged container (proc, sysfs of this network namespace, the host's cgroup v1
# hierarchies, /dev), pivot into it and exec the engine's own entrypoint: tini, then dagger-engine.
#   engine-run.sh ROOTFS RUN_DIR STATE_DIR
# RUN_DIR holds the overlay's upper and work dirs and sock/ (the engine's /run/dagger); STATE_DIR is /var/lib/dagger.
set -euo pipefail

ROOTFS=$1 RUN=$2 STATE=$3
NEW="$RUN/merged"
mkdir -p "$RUN/upper" "$RUN/work" "$NEW" "$RUN/sock" "$STATE"

mount -t overlay overlay -o "lowerdir=$ROOTFS,upperdir=$RUN/upper,workdir=$RUN/work" "$NEW"
mount -t proc proc "$NEW/proc"
mount -t sysfs sysfs "$NEW/sys" # this network namespace's view of /sys/class/net
mount -t tmpfs -o mode=755 cgroup "$NEW/sys/fs/cgroup"
for hier in /sys/fs/cgroup/*; do
  name="$(basename "$hier")"
  mkdir -p "$NEW/sys/fs/cgroup/$name"
  mount --rbind "$hier" "$NEW/sys/fs/cgroup/$name"
done
mount --rbind /dev "$NEW/dev"
mount -t tmpfs -o mode=755 run "$NEW/run"
mkdir -p "$NEW/run/dagger"
mount --bind "$RUN/sock" "$NEW/run/dagger"
mount --bind "$STATE" "$NEW/var/lib/dagger"
mount -t tmpfs tmp "$NEW/tmp"

cd "$NEW"
mkdir -p .oldroot
pivot_root . .oldroot
# shellcheck disable=SC2016 # expanded by the shell inside the new root
exec /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/bin:/sbin HOME=/root \
  /bin/sh -c 'umount -l /.oldroot && rmdir /.oldroot && . /etc/dagger/lab.env &&
    { ulimit -n 1048576 || echo "cannot increase open FDs with ulimit, ignoring"; } &&
    exec tini -s -- /usr/local/bin/dagger-engine --config /etc/dagger/engine.toml'
