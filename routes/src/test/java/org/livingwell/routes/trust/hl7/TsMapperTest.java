package org.livingwell.routes.trust.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.hl7v2.model.v251.datatype.TS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TsMapperTest {

    private static TS ts(String value) {
        return Hl7Fixtures.pid("PID|1||X||TEST^PERSON||" + value).getDateTimeOfBirth();
    }

    @ParameterizedTest
    @CsvSource({
        "1985, 1985, YEAR",
        "198503, 1985-03, MONTH",
        "19850304, 1985-03-04, DAY",
        "198503041230, 1985-03-04, DAY",
        "19850304123045+0100, 1985-03-04, DAY",
    })
    void birthDateKeepsThePrecisionSentAndDropsTheTime(String v2, String fhir, TemporalPrecisionEnum precision) {
        var date = TsMapper.toDate(ts(v2), "PID-7").orElseThrow();

        assertThat(date.getValueAsString()).isEqualTo(fhir);
        assertThat(date.getPrecision()).isEqualTo(precision);
    }

    @ParameterizedTest
    @CsvSource({
        "2024, 2024",
        "20240315, 2024-03-15",
        // No offset sent: London time, which is GMT in winter and BST in summer.
        "202401151430, 2024-01-15T14:30:00Z",
        "20240715143000, 2024-07-15T14:30:00+01:00",
        "20240715143000-0500, 2024-07-15T14:30:00-05:00",
        "20240715143000.25+0000, 2024-07-15T14:30:00.250Z",
    })
    void dateTimeKeepsPrecisionAndAlwaysHasAnOffsetOnceThereIsATime(String v2, String fhir) {
        assertThat(TsMapper.toDateTime(ts(v2), "PID-29").orElseThrow().getValueAsString()).isEqualTo(fhir);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1985-03-04", "04/03/1985", "1985030", "UNKNOWN"})
    void rejectsValuesThatAreNotHl7Dates(String v2) {
        assertThatThrownBy(() -> TsMapper.toDate(ts(v2), "PID-7"))
                .isInstanceOf(Hl7TranslationException.class)
                .hasMessageStartingWith("PID-7: '" + v2 + "' is not an HL7 date/time");
    }

    @ParameterizedTest
    @ValueSource(strings = {"19851304", "19850230", "198502301261"})
    void rejectsDatesThatDoNotExist(String v2) {
        assertThatThrownBy(() -> TsMapper.toDateTime(ts(v2), "PID-29"))
                .isInstanceOf(Hl7TranslationException.class)
                .hasMessageStartingWith("PID-29: '" + v2 + "' is not a real date");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\"\""})
    void emptyOrExplicitNullIsAbsent(String v2) {
        assertThat(TsMapper.toDate(ts(v2), "PID-7")).isEmpty();
    }
}
