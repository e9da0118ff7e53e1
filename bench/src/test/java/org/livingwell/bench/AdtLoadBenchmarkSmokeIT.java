package org.livingwell.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.livingwell.bench.AdtLoadBenchmark.Result;

/** Runs the load generator's smoke mode against the packaged gateway, so the generator cannot rot. */
class AdtLoadBenchmarkSmokeIT {

    @Test
    void everyMessageIsAcceptedAndAppliedAndEveryDirectTransactionStored() throws Exception {
        Result result = AdtLoadBenchmark.smoke(GatewayProcess.locateJar(null));

        assertThat(result.feed().answers()).as("answers by MSA-1").containsEntry("AA", result.feed().messages());
        assertThat(result.feed().applied()).as("applied").isEqualTo(result.feed().messages());
        assertThat(result.direct().failed()).as("direct /fhir failures, first: " + result.direct().firstError()).isZero();
        assertThat(result.smokePassed()).isTrue();
    }
}
