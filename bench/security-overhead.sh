#!/usr/bin/env bash
# What partner security costs (SecurityOverheadBenchmark, issue 9): 16 clients reading and searching Patients on the
# same patients in two gateways side by side, one with --gateway.security.enabled=false, one with tokens, scope checks
# and audit, measured in turn; p50/p99 of each,
# the ratios secured/open and the target (under 1.3), after `mvn -B -DskipTests package`.
# Usage: bench/security-overhead.sh [--patients 500] [--clients 16] [--rounds 10] [--seconds 5] [--warm-up 15]
#   [--heap 768m] [--jar PATH] [--smoke]
set -euo pipefail
cd "$(dirname "$0")/.."
exec java -cp "bench/target/classes:routes/target/routes-0.1.0-SNAPSHOT-tests.jar:gateway/target/app/lib/*" \
  org.livingwell.bench.SecurityOverheadBenchmark "$@"
