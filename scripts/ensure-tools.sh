#!/usr/bin/env bash
# Installs what etcdkit's commands need when it is missing: a JDK 17+, Maven, etcd/etcdctl
# (Debian packages etcd-server and etcd-client), tmux (for the CLI's terminal tests), and for the ZeroMQ interop
# tests Debian's python3 with python3-zmq and python3-etcd3. Safe to run repeatedly; does nothing when all is present.
set -euo pipefail

need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
if [ -z "${ETCD_BIN:-}" ]; then
  command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
fi
command -v etcdctl >/dev/null 2>&1 || need+=(etcd-client)
# The Python peers of etcdkit-zmq's interop tests run on Debian's interpreter, not whatever python3 is on PATH.
if ! /usr/bin/python3 -c 'import zmq' >/dev/null 2>&1; then need+=(python3-zmq); fi
if ! /usr/bin/python3 -c 'import etcd3' >/dev/null 2>&1; then need+=(python3-etcd3); fi
command -v tmux >/dev/null 2>&1 || need+=(tmux) # the CLI's terminal tests (watch, up) drive a real terminal

if [ ${#need[@]} -gt 0 ]; then
  echo "etcdkit: installing ${need[*]} ..." >&2
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
# The nemesis's network partitions (etcdkit-testing, io.etcdkit.testing.nemesis) need iptables and root. Installed
# quietly and only as root; when it cannot be installed the partition faults say so and skip, nothing else fails.
if ! command -v iptables >/dev/null 2>&1 && [ ! -x /usr/sbin/iptables ] && [ "$(id -u)" = "0" ]; then
  { apt-get install -y -qq iptables >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iptables >/dev/null 2>&1; }; } \
    || echo "etcdkit: NOTE: could not install iptables; the nemesis's partition faults will be skipped" >&2
fi
# Debian's etcd-server package may start a system etcd on 2379; etcdkit never needs it (tests use free ports).
