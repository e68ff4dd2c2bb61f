#!/usr/bin/env bash
# Runs the Spring Boot example: builds it when the sources are newer than its jar, then starts it. With no
# ETCD_ENDPOINTS (or --etcdkit.endpoints=...) it first starts a throwaway local etcd member. Extra arguments go to
# Spring Boot, e.g. ./examples-spring-boot/run.sh --server.port=8081
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$here")"
"$root/scripts/ensure-tools.sh"
jar="$here/target/etcdkit-example-spring-boot.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root" -path "$root/.git" -prune -o \( -name '*.java' -o -name pom.xml -o -name '*.properties' \) -newer "$jar" -print -quit)" ]; then
  echo "building the Spring Boot example (first run, or sources changed) ..." >&2
  (cd "$root" && mvn -q -B -ntp -DskipTests package -pl examples-spring-boot -am) >&2
fi
exec java -jar "$jar" "$@"
