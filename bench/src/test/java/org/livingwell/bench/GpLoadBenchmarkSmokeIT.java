package org.livingwell.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.livingwell.bench.GpLoadBenchmark.BigResult;
import org.livingwell.bench.GpLoadBenchmark.BoroughResult;
import org.livingwell.bench.GpLoadBenchmark.Result;

/** Runs the GP feed benchmark's smoke mode against the packaged gateway, so the benchmark cannot rot (correctness only). */
class GpLoadBenchmarkSmokeIT {

    @Test
    void everyAcceptedRowIsAppliedAndTheRejectedRowsAreThePlantedFaults() throws Exception {
        Result result = GpLoadBenchmark.smoke(GatewayProcess.locateJar(null));

        BoroughResult borough = result.borough();
        assertThat(borough.refused()).as("uploads not answered 202").isEmpty();
        assertThat(borough.planted()).as("planted faults (one practice in eight)").isPositive();
        assertThat(borough.rejected()).as("rejected rows").isEqualTo(borough.planted());
        assertThat(borough.faultMismatches()).as("rejected lines that are not the planted ones").isEmpty();
        assertThat(borough.received()).isEqualTo(borough.accepted() + borough.rejected());
        assertThat(borough.notApplied()).as("batches not applied").isEmpty();
        assertThat(borough.applied()).as("rows applied").isEqualTo(borough.accepted());
        assertThat(borough.failed()).as("rows failed").isZero();

        BigResult big = result.big();
        assertThat(big.refused()).isNull();
        assertThat(big.status()).isEqualTo("applied");
        assertThat(big.accepted()).isEqualTo(big.rows());
        assertThat(big.applied()).as("big file rows applied").isEqualTo(big.rows());

        assertThat(result.heap().samples()).as("jstat samples of the gateway's heap").isPositive();
        assertThat(result.heap().outOfMemory()).isFalse();
        assertThat(result.smokePassed()).isTrue();
    }
}
