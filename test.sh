#!/usr/bin/env bash
# Runs the whole test suite (every module, against real etcd members started by the tests) on Java 17, then the
# tests of etcdkit and etcdkit-recipes (but their fault tests) again on Java 25 in the same build (compiled once; reports in
# <module>/target/surefire-reports-java25). Installs the JDK, Maven and etcd/etcdctl when missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/scripts/ensure-tools.sh"
cd "$here"

jdk25="${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ ! -x "$jdk25/bin/java" ] && apt-cache policy temurin-25-jdk 2>/dev/null | grep -q 'Candidate: [0-9]'; then
  echo "test.sh: installing temurin-25-jdk ..." >&2
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq temurin-25-jdk >/dev/null
fi
java25=()
if [ -x "$jdk25/bin/java" ]; then
  java25=(-Djava25.skip=false "-Djava25.java=$jdk25/bin/java")
else
  echo "test.sh: NOTE: no Java 25 at $jdk25 and no Debian package temurin-25-jdk: the Java 25 pass (etcdkit and" >&2
  echo "test.sh: NOTE: etcdkit-recipes tests, the CLI jar check) is SKIPPED. Set JDK25_HOME to run it." >&2
fi
exec mvn -B -ntp verify ${java25[@]+"${java25[@]}"} "$@"
