#!/usr/bin/env bash
# Runs the whole test suite (every module, against real etcd members started by the tests).
# Installs the JDK, Maven and etcd/etcdctl when missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/scripts/ensure-tools.sh"
cd "$here"
exec mvn -B -ntp verify "$@"
