#!/usr/bin/env bash
# The council feed benchmark (CouncilLoadBenchmark, issue 10) against a gateway it starts itself (-Xmx from --heap),
# after `mvn -B -DskipTests package`: WireMock (in the benchmark's JVM) serves the council's token endpoint and case
# API; after an untimed warm-up, 10,000 synthetic cases (3 events each) are served and one poll is triggered
# (POST /admin/council/poll): cases/s and events/s applied, cases rejected, the watermark. Then a 100,000-row CLD file
# is dropped in the gateway's inbox/council/: rows/s from the drop until the batch is applied, rows applied and failed.
# Throughout, the gateway's peak heap and GC time (jstat -gc), and no OutOfMemoryError in its log.
# Usage: bench/council-load.sh [--cases 10000] [--page-size 100] [--cld-rows 100000] [--heap 768m] [--jar PATH]
#   [--skip-api] [--skip-cld] [--cld-max-minutes N] [--smoke]
# --cld-max-minutes stops waiting for the CLD batch after N minutes and reports the rate so far (default: wait while it
# progresses). --smoke: 30 cases and 300 rows, correctness only (all applied, none rejected); exits 1 if not.
# Extra JVM options for the gateway: BENCH_JVM_OPTS (e.g. -XX:StartFlightRecording=filename=/tmp/gw.jfr).
# The classpath: the gateway's lib/ plus bench/target/lib/ (WireMock, copied there by the bench module's package).
set -euo pipefail
cd "$(dirname "$0")/.."
exec java -cp "bench/target/classes:bench/target/lib/*:routes/target/routes-0.1.0-SNAPSHOT-tests.jar:gateway/target/app/lib/*" \
  org.livingwell.bench.CouncilLoadBenchmark "$@"
