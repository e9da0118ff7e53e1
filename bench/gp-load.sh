#!/usr/bin/env bash
# The GP SMI-register feed benchmark (GpLoadBenchmark, issue 8) against a gateway it starts itself (-Xmx from --heap),
# after `mvn -B -DskipTests package`: the borough's 48 practice files (~4,000 rows) uploaded and applied, then one
# 100,000-row file; rows applied/s, peak heap (jstat -gc), and the targets judged (borough < 60 s, >= 1,000 rows/s,
# heap < 512 MB). Usage: bench/gp-load.sh [--practices 48] [--patients 4000] [--big-rows 100000]
#   [--big-mode full|delta] [--heap 512m] [--jar PATH] [--skip-big] [--smoke]
# Extra JVM options for the gateway: BENCH_JVM_OPTS (e.g. -XX:StartFlightRecording=filename=/tmp/gw.jfr).
set -euo pipefail
cd "$(dirname "$0")/.."
exec java -cp "bench/target/classes:routes/target/routes-0.1.0-SNAPSHOT-tests.jar:gateway/target/app/lib/*" \
  org.livingwell.bench.GpLoadBenchmark "$@"
