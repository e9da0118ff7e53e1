#!/usr/bin/env bash
# The trust ADT load benchmark (AdtLoadBenchmark) against a gateway it starts itself, after
# `mvn -B -DskipTests package`. Usage: bench/adt-load.sh [--messages 3000] [--senders 8] [--clients 8] [--ref-share 20] [--smoke]
# Extra JVM options for the gateway: BENCH_JVM_OPTS (e.g. -XX:StartFlightRecording=filename=/tmp/gw.jfr).
set -euo pipefail
cd "$(dirname "$0")/.."
exec java -cp "bench/target/classes:routes/target/routes-0.1.0-SNAPSHOT-tests.jar:gateway/target/app/lib/*" \
  org.livingwell.bench.AdtLoadBenchmark "$@"
