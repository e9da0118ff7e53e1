package org.livingwell.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.livingwell.bench.SecurityOverheadBenchmark.Result;

/** Runs the security-overhead benchmark's smoke mode against the packaged gateway, so it cannot rot. */
class SecurityOverheadBenchmarkSmokeIT {

    @Test
    void bothPhasesAnswerEveryRequestAndTheSecuredOneIsAudited() throws Exception {
        Result result = SecurityOverheadBenchmark.smoke(GatewayProcess.locateJar(null));

        assertThat(result.open().reads().errors()).as("open reads failed: " + result.open().reads().firstError()).isZero();
        assertThat(result.secured().reads().errors()).as("secured reads failed: " + result.secured().reads().firstError()).isZero();
        assertThat(result.secured().searches().sortedNanos()).isNotEmpty();
        assertThat(result.auditEvents()).as("the secured gateway's AuditEvents of the benchmark's client")
                .isGreaterThanOrEqualTo(Math.min(200, result.secured().reads().sortedNanos().length));
        assertThat(result.smokePassed()).isTrue();
    }
}
