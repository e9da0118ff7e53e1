package org.livingwell.routes.gp;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** Register files and rows for the GP feed's tests: synthetic people (NHS numbers from the 999 test range). */
final class GpRegisterFixtures {

    /** Today, for the validators of these tests. */
    static final LocalDate TODAY = LocalDate.of(2026, 11, 24);
    static final RegisterRowValidator VALIDATOR =
            new RegisterRowValidator(Clock.fixed(TODAY.atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC));

    static final String HEADER = "nhs_number,family_name,given_name,date_of_birth,sex,postcode,smi_diagnosis_code,"
            + "smi_diagnosis_date,register_status,register_date,ethnic_category,care_plan_date,physical_health_check_date";
    /** Two valid rows, the first with every optional value, the second without. */
    static final String ROW_1 = "9990000018,Testpatient,Alex,1985-03-04,female,SE11 5AA,58214004,2019-03-01,active,2019-03-14,A,2026-02-10,2026-05-20";
    static final String ROW_2 = "9990000026,Sample,Robin,1972-11-30,male,sw9 9zz,13746004,2015-06-01,resolved,2015-07-01,,,";

    private GpRegisterFixtures() {}

    static String file(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    static InputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    static List<ParsedRow> parse(String text) {
        try (var file = GpRegisterFile.open(utf8(text), VALIDATOR)) {
            return file.rows().toList();
        }
    }

    static RegisterRow row(String line) {
        ParsedRow parsed = parse(file(HEADER, line)).get(0);
        if (!parsed.isValid()) {
            throw new AssertionError("fixture row invalid: " + parsed.errors());
        }
        return parsed.row().orElseThrow();
    }
}
