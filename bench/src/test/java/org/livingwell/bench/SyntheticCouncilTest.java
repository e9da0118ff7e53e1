package org.livingwell.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.livingwell.bench.SyntheticCouncil.Event;
import org.livingwell.bench.SyntheticCouncil.Person;
import org.livingwell.routes.council.CaseValidator;
import org.livingwell.routes.council.CldColumn;
import org.livingwell.routes.council.CldFile;
import org.livingwell.routes.council.CldRow;
import org.livingwell.routes.council.CouncilCase;
import org.livingwell.routes.csv.CsvFile;
import org.livingwell.routes.identity.NhsNumber;

class SyntheticCouncilTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CaseValidator VALIDATOR = new CaseValidator();

    @Test
    void everyRowOfACldFileIsValidAndAPersonsRowsAreTogether() throws IOException {
        List<CldRow> rows = read(cld(new SyntheticCouncil(42), 300));

        assertThat(rows).hasSize(300);
        assertThat(rows).allSatisfy(row -> assertThat(row.errors()).as("line " + row.line()).isEmpty());
        List<String> people = rows.stream().map(CldRow::personId).distinct().toList();
        assertThat(people).hasSize(100);
        // Consecutive: the rows of one person are one run.
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).personId()).isEqualTo(people.get(i / 3));
        }
        List<CouncilCase> cases = rows.stream().map(row -> row.person().orElseThrow()).toList();
        assertThat(cases).extracting(c -> c.events().get(0).type().code())
                .containsOnly("request", "assessment", "service");
        assertThat(cases).filteredOn(c -> c.events().get(0).isService())
                .extracting(c -> c.events().get(0).deliveryMechanism().orElseThrow().code())
                .contains("direct-payment", "cassr-managed-personal-budget", "cassr-commissioned-support");
    }

    @Test
    void aFileHasExactlyTheRowsAskedForTheLastPersonCutShort() throws IOException {
        SyntheticCouncil council = new SyntheticCouncil(7);
        StringWriter out = new StringWriter();
        assertThat(council.writeCld(out, 100)).isEqualTo(34).isEqualTo(SyntheticCouncil.peopleInCld(100));
        List<CldRow> rows = read(out.toString());
        assertThat(rows).hasSize(100).allMatch(CldRow::isValid);
        assertThat(rows.get(99).personId()).isNotEqualTo(rows.get(98).personId());
        assertThat(SyntheticCouncil.peopleInCld(100_000)).isEqualTo(33_334);
    }

    @Test
    void nhsNumbersAreDistinctFromTheTestRangeAndAboutOneInTenIsMissing() {
        List<Person> people = new SyntheticCouncil(42).people(5000);
        Set<String> numbers = new HashSet<>();
        int missing = 0;
        for (Person person : people) {
            if (person.nhsNumber() == null) {
                missing++;
                continue;
            }
            assertThat(person.nhsNumber()).startsWith("999");
            assertThat(NhsNumber.isValid(person.nhsNumber())).as(person.nhsNumber()).isTrue();
            assertThat(numbers.add(person.nhsNumber())).as("distinct: " + person.nhsNumber()).isTrue();
        }
        assertThat(missing).isBetween(400, 600);
        assertThat(people).extracting(Person::personId).doesNotHaveDuplicates();
    }

    @Test
    void noDateIsInTheFutureAndUpdatedAtIncreases() {
        List<Person> people = new SyntheticCouncil(42).people(2000);
        Instant previous = Instant.MIN;
        for (Person person : people) {
            assertThat(person.updatedAt()).isAfter(previous);
            previous = person.updatedAt();
            assertThat(person.dateOfBirth()).isBefore(SyntheticCouncil.AS_OF);
            LocalDate last = LocalDate.MIN;
            for (Event event : person.events()) {
                assertThat(event.start()).isAfterOrEqualTo(last).isBeforeOrEqualTo(SyntheticCouncil.AS_OF);
                if (event.end() != null) {
                    assertThat(event.end()).isAfterOrEqualTo(event.start()).isBeforeOrEqualTo(SyntheticCouncil.AS_OF);
                    last = event.end();
                }
            }
        }
        assertThat(previous).isBefore(Instant.parse("2026-11-02T00:00:00Z"));
    }

    @Test
    void apiPagesCarryTheSamePeopleAsTheirCldRows() throws IOException {
        List<Person> people = new SyntheticCouncil(42).people(25);
        List<String> pages = SyntheticCouncil.pages(people, 10);

        assertThat(pages).hasSize(3);
        List<JsonNode> cases = new ArrayList<>();
        for (int page = 0; page < pages.size(); page++) {
            JsonNode json = JSON.readTree(pages.get(page));
            assertThat(json.path("page").asInt()).isEqualTo(page);
            assertThat(json.path("totalPages").asInt()).isEqualTo(3);
            json.path("cases").forEach(cases::add);
        }
        assertThat(cases).hasSize(25);
        // Each case, field by field, is its CLD rows' values (the rows are valid: the test above).
        List<String> columns = SyntheticCouncil.CLD_COLUMNS;
        for (int i = 0; i < people.size(); i++) {
            JsonNode json = cases.get(i);
            List<List<String>> rows = SyntheticCouncil.cldRows(people.get(i));
            assertThat(read(cldOf(rows))).allMatch(CldRow::isValid);
            assertThat(json.path("updatedAt").asText()).isEqualTo(people.get(i).updatedAt().toString());
            assertThat(json.path("events")).hasSize(rows.size());
            for (int r = 0; r < rows.size(); r++) {
                JsonNode event = json.path("events").get(r);
                for (int c = 0; c < columns.size(); c++) {
                    CldColumn column = CsvFile.byHeader(CldColumn.class, columns.get(c)).orElseThrow();
                    String field = column.field();
                    JsonNode value = field.startsWith("events[0].") ? event.path(field.substring("events[0].".length()))
                            : json.path(field);
                    assertThat(value.isMissingNode() ? "" : value.asText()).as(field).isEqualTo(rows.get(r).get(c));
                }
            }
        }
    }

    @Test
    void theSameSeedGivesTheSamePages() {
        assertThat(SyntheticCouncil.pages(new SyntheticCouncil(3).people(50), 20))
                .isEqualTo(SyntheticCouncil.pages(new SyntheticCouncil(3).people(50), 20));
    }

    private static String cld(SyntheticCouncil council, int rows) throws IOException {
        StringWriter out = new StringWriter();
        council.writeCld(out, rows);
        return out.toString();
    }

    private static String cldOf(List<List<String>> rows) {
        StringBuilder csv = new StringBuilder(SyntheticCouncil.CLD_HEADER).append('\n');
        rows.forEach(row -> csv.append(SyntheticGpRegisters.csvLine(row)).append('\n'));
        return csv.toString();
    }

    private static List<CldRow> read(String csv) {
        try (CsvFile<CldColumn, CldRow> file = CldFile.open(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), VALIDATOR)) {
            return file.rows().toList();
        }
    }
}
