package org.livingwell.routes.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.livingwell.routes.gp.GpRegisterFixtures.HEADER;
import static org.livingwell.routes.gp.GpRegisterFixtures.ROW_1;
import static org.livingwell.routes.gp.GpRegisterFixtures.file;
import static org.livingwell.routes.gp.GpRegisterFixtures.parse;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.livingwell.routes.constraints.OneOf;
import org.livingwell.routes.log.RowError;

/** Each constraint of the CSV contract, on ROW_1 with one value changed (today is 2026-11-24). */
class RegisterRowValidatorTest {

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("nhs_number", "9990000019", "fails the NHS number modulus-11 check"),
                Arguments.of("nhs_number", "999000001", "is not 10 digits"),
                Arguments.of("nhs_number", "", "is required"),
                Arguments.of("family_name", " ", "is required"),
                Arguments.of("given_name", "", "is required"),
                Arguments.of("date_of_birth", "04/03/1985", "is not a date in the form YYYY-MM-DD"),
                Arguments.of("date_of_birth", "1985-3-4", "is not a date in the form YYYY-MM-DD"),
                Arguments.of("date_of_birth", "1985-02-29", "is not a real day"),
                Arguments.of("date_of_birth", "2026-11-25", "is in the future"),
                Arguments.of("sex", "F", "is not one of male, female, other, unknown"),
                Arguments.of("postcode", "SE11", "is not a UK postcode"),
                Arguments.of("postcode", "12345", "is not a UK postcode"),
                Arguments.of("smi_diagnosis_code", "35489007", "is not a SNOMED CT code in the SMI diagnosis ValueSet (lw-smi-diagnosis)"),
                Arguments.of("smi_diagnosis_date", "2019-13-01", "is not a real day"),
                Arguments.of("register_status", "inactive", "is not one of active, resolved"),
                Arguments.of("register_date", "", "is required"),
                Arguments.of("register_date", "2027-01-01", "is in the future"),
                Arguments.of("ethnic_category", "I", "is not one of A, B, C, D, E, F, G, H, J, K, L, M, N, P, R, S, Z, 99"),
                Arguments.of("ethnic_category", "O", "is not one of A, B, C, D, E, F, G, H, J, K, L, M, N, P, R, S, Z, 99"),
                Arguments.of("care_plan_date", "2026-02-30", "is not a real day"),
                Arguments.of("physical_health_check_date", "2026-12-01", "is in the future"));
    }

    @ParameterizedTest(name = "{0} \"{1}\": {2}")
    @MethodSource("faults")
    void refusesTheValueNamingLineColumnValueAndReason(String column, String value, String message) {
        ParsedRow parsed = parse(file(HEADER, ROW_1, with(column, value))).get(1);

        assertThat(parsed.isValid()).isFalse();
        assertThat(parsed.row()).isEmpty();
        assertThat(parsed.errors()).containsExactly(new RowError(3, column, value.strip(), message));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sw2 1zz", "SW21ZZ", "W1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB"})
    void takesPostcodesOfEveryShape(String postcode) {
        assertThat(parse(file(HEADER, with("postcode", postcode)))).singleElement().matches(ParsedRow::isValid);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MALE", "other", "Unknown"})
    void takesSexInAnyCase(String sex) {
        assertThat(parse(file(HEADER, with("sex", sex)))).singleElement().matches(ParsedRow::isValid);
    }

    @ParameterizedTest
    @ValueSource(strings = {"today", "99", "z", "M"})
    void takesTodayAndEveryEthnicCategoryCode(String value) {
        String row = value.equals("today") ? with("register_date", GpRegisterFixtures.TODAY.toString()) : with("ethnic_category", value);
        assertThat(parse(file(HEADER, row))).singleElement().matches(ParsedRow::isValid);
    }

    @Test
    void reportsEveryErrorOfARowInColumnOrder() {
        String row = "9990000019,,Alex,1985-02-29,female,SE11,58214004,2019-03-01,pending,2019-03-14,,,";

        ParsedRow parsed = parse(file(HEADER, row)).get(0);

        assertThat(parsed.errors()).extracting(RowError::column)
                .containsExactly("nhs_number", "family_name", "date_of_birth", "postcode", "register_status");
        assertThat(parsed.errors()).extracting(RowError::line).containsOnly(2L);
        assertThat(parsed.nhsNumber()).isEmpty();
    }

    @Test
    void theEthnicCategoriesAreTheTrustFeedsCodes() throws IOException {
        Properties codeMap = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/code-maps/nhs-ethnic-category-to-display.properties")) {
            codeMap.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        OneOf oneOf = field("ethnicCategory").getAnnotation(OneOf.class);

        assertThat(Set.of(oneOf.value())).isEqualTo(codeMap.stringPropertyNames());
    }

    @Test
    void everySmiDiagnosisCodeIsTaken() {
        List<String> codes = SmiDiagnoses.get().codes().stream().sorted().toList();
        assertThat(codes).hasSizeGreaterThanOrEqualTo(30).contains("58214004", "13746004", "231494001");

        String[] rows = codes.stream().map(code -> with("smi_diagnosis_code", code)).toArray(String[]::new);
        String[] lines = Stream.concat(Stream.of(HEADER), Arrays.stream(rows)).toArray(String[]::new);
        assertThat(parse(file(lines))).hasSize(codes.size()).allMatch(ParsedRow::isValid);
    }

    /** ROW_1 with one column's value replaced. */
    static String with(String column, String value) {
        List<String> columns = List.of(HEADER.split(","));
        String[] values = ROW_1.split(",", -1);
        values[columns.indexOf(column)] = value;
        return String.join(",", values);
    }

    private static java.lang.reflect.Field field(String name) {
        try {
            return RegisterRowInput.class.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }
}
