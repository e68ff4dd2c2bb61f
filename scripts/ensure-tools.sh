#!/usr/bin/env bash
# Installs what etcdkit's commands need when it is missing: a JDK 17+, Maven, etcd/etcdctl
# (Debian packages etcd-server and etcd-client) and tmux (for the CLI's terminal tests). Safe to run
# repeatedly; does nothing when all is present.
set -euo pipefail

need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
if [ -z "${ETCD_BIN:-}" ]; then
  command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
fi
command -v etcdctl >/dev/null 2>&1 || need+=(etcd-client)
command -v tmux >/dev/null 2>&1 || need+=(tmux) # the CLI's terminal tests (watch, up) drive a real terminal

if [ ${#need[@]} -gt 0 ]; then
  echo "etcdkit: installing ${need[*]} ..." >&2
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
# Debian's etcd-server package may start a system etcd on 2379; etcdkit never needs it (tests use free ports).
