package org.livingwell.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.livingwell.bench.CouncilLoadBenchmark.ApiResult;
import org.livingwell.bench.CouncilLoadBenchmark.CldResult;
import org.livingwell.bench.CouncilLoadBenchmark.Result;

/**
 * Runs the council feed benchmark's smoke mode against the packaged gateway (WireMock as the council's API), so the
 * benchmark cannot rot (correctness only).
 */
class CouncilLoadBenchmarkSmokeIT {

    @Test
    void everyCaseAndEveryRowIsApplied() throws Exception {
        Result result = CouncilLoadBenchmark.smoke(GatewayProcess.locateJar(null));

        ApiResult api = result.api();
        assertThat(api.failure()).as("why the poll failed").isNull();
        assertThat(api.pages()).as("pages (30 cases in pages of 10)").isEqualTo(3);
        assertThat(api.pagesServed()).as("page requests: one pass over the pages").isEqualTo(api.pages());
        assertThat(api.applied()).as("cases applied").isEqualTo(api.cases());
        assertThat(api.rejected()).as("cases rejected").isZero();
        assertThat(api.watermarkMatches()).as("watermark " + api.watermark() + " is the last case's updatedAt "
                + api.expectedWatermark()).isTrue();

        CldResult cld = result.cld();
        assertThat(cld.refused()).as("the file refused as a whole").isNull();
        assertThat(cld.received()).as("rows received").isEqualTo(cld.rows());
        assertThat(cld.accepted()).as("rows accepted").isEqualTo(cld.rows());
        assertThat(cld.rejected()).as("rows rejected").isZero();
        assertThat(cld.status()).isEqualTo("applied");
        assertThat(cld.applied()).as("rows applied").isEqualTo(cld.rows());
        assertThat(cld.failed()).as("rows refused by the record: " + cld.applyErrors()).isZero();

        assertThat(result.heap().samples()).as("jstat samples of the gateway's heap").isPositive();
        assertThat(result.heap().outOfMemory()).isFalse();
        assertThat(result.smokePassed()).isTrue();
    }
}
