#!/usr/bin/env bash
# Times the gateway from `java` to the first 200 on /fhir/metadata and reads its resident memory
# 10 s later. Usage: bench/startup.sh [runs] [jvm options...]   (fresh data directory each run)
set -euo pipefail
runs=${1:-3}; shift || true
jar=${BENCH_JAR:-$(cd "$(dirname "$0")/.." && pwd)/gateway/target/livingwell-gateway.jar}
port=${BENCH_HTTP_PORT:-18080}; mllp=${BENCH_MLLP_PORT:-12575}
for run in $(seq 1 "$runs"); do
  dir=$(mktemp -d)
  start=$(date +%s.%N)
  java "$@" -jar "$jar" --server.port="$port" --gateway.mllp.port="$mllp" --gateway.data-dir="$dir" \
    > "$dir/gateway.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/fhir/metadata" -o /dev/null; do
    kill -0 $pid 2>/dev/null || { echo "gateway died, see $dir/gateway.log"; exit 1; }
    sleep 0.2
  done
  ready=$(echo "$(date +%s.%N) - $start" | bc)
  sleep 10
  rss=$(( $(awk '/VmRSS/{print $2}' /proc/$pid/status) / 1024 ))
  echo "run $run: ready ${ready%????????}s, RSS ${rss} MiB  [$*]"
  kill $pid; wait $pid 2>/dev/null || true
  rm -rf "$dir"
done
