package org.livingwell.routes.council;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.livingwell.routes.council.CouncilFixtures.VALIDATOR;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.junit.jupiter.api.Test;
import org.livingwell.routes.csv.MissingColumnsException;
import org.livingwell.routes.log.RowError;

/** A council's Client Level Data file, read row by row, each row checked as a case of one event (today is 2026-11-24). */
class CldFileTest {

    /** Every CLD column, shuffled, one in other case, and a column the feed does not read. */
    static final List<String> HEADER = List.of("Event_Start_Date", "Postcode", "Team_Name", "LA_Person_ID", "Unit_Cost",
            "Event_Type", "Given_Name", "Service_Type", "NHS_Number", "Cost_Frequency", "Event_Outcome", "gender",
            "Primary_Support_Reason", "Event_Reference", "Date_of_Birth", "Delivery_Mechanism", "Family_Name",
            "Planned_Units_Per_Week", "Ethnicity", "Service_Component", "Event_End_Date");

    /** A request that ended: the values of the row by header. */
    static Map<String, String> request() {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("LA_Person_ID", "P200871");
        row.put("NHS_Number", "9990000034");
        row.put("Family_Name", "Examplename");
        row.put("Given_Name", "Jo");
        row.put("Date_of_Birth", "1951-10-03");
        row.put("gender", "Male");
        row.put("Ethnicity", "Asian or Asian British - Indian");
        row.put("Postcode", "b33 8th");
        row.put("Primary_Support_Reason", "Physical Support: Personal care support");
        row.put("Event_Type", "Request");
        row.put("Event_Reference", "R-55001");
        row.put("Event_Start_Date", "2026-07-01");
        row.put("Event_End_Date", "2026-07-03");
        row.put("Event_Outcome", "Progress to Assessment");
        row.put("Team_Name", "Adult Social Care, North");
        return row;
    }

    /** A service still provided, taken as a council-managed budget of 200 a week. */
    static Map<String, String> service() {
        Map<String, String> row = request();
        row.put("Event_Type", "Service");
        row.put("Event_Reference", "S-55003");
        row.put("Event_Start_Date", "2026-08-10");
        row.remove("Event_End_Date");
        row.remove("Event_Outcome");
        row.put("Service_Type", "Long Term Support: Community");
        row.put("Service_Component", "Home Support");
        row.put("Delivery_Mechanism", "CASSR Managed Personal Budget");
        row.put("Unit_Cost", "200");
        row.put("Cost_Frequency", "Weekly");
        row.put("Planned_Units_Per_Week", "1");
        return row;
    }

    static Map<String, String> with(Map<String, String> row, String column, String value) {
        Map<String, String> changed = new LinkedHashMap<>(row);
        changed.put(column, value);
        return changed;
    }

    /** The row as a CSV line in the header's order, quoted where the value needs it. */
    static String line(List<String> header, Map<String, String> row) {
        return header.stream().map(column -> quoted(row.getOrDefault(column, ""))).collect(Collectors.joining(","));
    }

    static String line(Map<String, String> row) {
        return line(HEADER, row);
    }

    private static String quoted(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    /** A UTF-8 file with a byte order mark, CR LF line ends. */
    static List<CldRow> parse(List<String> header, String... rows) {
        List<String> lines = new ArrayList<>();
        lines.add(String.join(",", header));
        lines.addAll(Arrays.asList(rows));
        byte[] bytes = ("\uFEFF" + String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8);
        try (var file = CldFile.open(new ByteArrayInputStream(bytes), VALIDATOR)) {
            return file.rows().toList();
        }
    }

    static List<CldRow> parse(String... rows) {
        return parse(HEADER, rows);
    }

    @Test
    void goodRowsAreCasesOfOneEventWithTheirLines() {
        List<CldRow> rows = parse(line(request()), line(service()));

        assertThat(rows).hasSize(2).allMatch(CldRow::isValid);
        assertThat(rows).extracting(CldRow::line).containsExactly(2L, 3L);
        assertThat(rows).allSatisfy(row -> assertThat(row.errors()).isEmpty());
        assertThat(rows).extracting(CldRow::personId).containsOnly("P200871");

        CouncilCase first = rows.get(0).person().orElseThrow();
        assertThat(first.personId()).isEqualTo("P200871");
        assertThat(first.nhsNumber()).map(number -> number.value()).contains("9990000034");
        assertThat(first.familyName()).isEqualTo("Examplename");
        assertThat(first.givenName()).isEqualTo("Jo");
        assertThat(first.dateOfBirth()).isEqualTo(LocalDate.of(1951, 10, 3));
        assertThat(first.gender()).isEqualTo(AdministrativeGender.MALE);
        assertThat(first.ethnicity()).contains("Asian or Asian British - Indian");
        assertThat(first.postcode()).isEqualTo("B33 8TH");
        assertThat(first.primarySupportReason().code()).isEqualTo("physical-personal-care");
        assertThat(first.updatedAt()).as("a file's rows have none").isEmpty();
        assertThat(first.events()).singleElement().satisfies(event -> {
            assertThat(event.eventId()).isEqualTo("R-55001");
            assertThat(event.type().code()).isEqualTo("request");
            assertThat(event.start()).isEqualTo(LocalDate.of(2026, 7, 1));
            assertThat(event.end()).contains(LocalDate.of(2026, 7, 3));
            assertThat(event.outcome()).map(CldValues.Concept::code).contains("progress-to-assessment");
        });

        CouncilCase.Event service = rows.get(1).person().orElseThrow().events().get(0);
        assertThat(service.eventId()).isEqualTo("S-55003");
        assertThat(service.isService()).isTrue();
        assertThat(service.end()).isEmpty();
        assertThat(service.serviceType()).map(CldValues.Concept::code).contains("long-term-community");
        assertThat(service.serviceComponent()).map(CldValues.Concept::code).contains("home-support");
        assertThat(service.deliveryMechanism()).map(CldValues.Concept::code).contains("cassr-managed-personal-budget");
        assertThat(service.unitCost()).contains(new BigDecimal("200"));
        assertThat(service.costFrequency()).map(CldValues.Concept::code).contains("weekly");
        assertThat(service.plannedUnitsPerWeek()).contains(BigDecimal.ONE);
    }

    @Test
    void aRowWithoutAnNhsNumberIsValid() {
        Map<String, String> row = request();
        row.remove("NHS_Number");

        assertThat(parse(line(row))).singleElement().satisfies(parsed ->
                assertThat(parsed.person().orElseThrow().nhsNumber()).isEmpty());
    }

    @Test
    void aBadRowsErrorNamesTheCldColumnTheLineAndTheValue() {
        List<CldRow> rows = parse(line(request()), line(with(service(), "Event_Start_Date", "2026-02-30")), line(service()));

        assertThat(rows).extracting(CldRow::isValid).containsExactly(true, false, true);
        CldRow bad = rows.get(1);
        assertThat(bad.line()).isEqualTo(3);
        assertThat(bad.person()).isEmpty();
        assertThat(bad.personId()).as("the row's person, to keep a person's rows together").isEqualTo("P200871");
        assertThat(bad.errors()).containsExactly(new RowError(3, "Event_Start_Date", "2026-02-30", "is not a real day"));
    }

    @Test
    void everyErrorOfARowIsReportedOnItsColumn() {
        Map<String, String> row = with(service(), "NHS_Number", "9990000019");
        row.put("Event_Type", "Visit");
        row.put("Unit_Cost", "£200");
        row.put("Date_of_Birth", "2027-01-01");

        CldRow bad = parse(line(row)).get(0);

        assertThat(bad.errors()).containsExactlyInAnyOrder(
                new RowError(2, "NHS_Number", "9990000019", "fails the NHS number modulus-11 check"),
                new RowError(2, "Event_Type", "Visit", "is not one of Request, Assessment, Service, Review"),
                new RowError(2, "Unit_Cost", "£200", "is not a number of zero or more (e.g. 18.50)"),
                new RowError(2, "Date_of_Birth", "2027-01-01", "is in the future"));
    }

    @Test
    void theRulesAcrossColumnsNameTheColumnAtFault() {
        Map<String, String> noServiceType = service();
        noServiceType.remove("Service_Type");
        Map<String, String> endsBeforeItStarts = with(request(), "Event_End_Date", "2026-06-30");
        Map<String, String> noPerson = request();
        noPerson.remove("LA_Person_ID");

        List<CldRow> rows = parse(line(noServiceType), line(endsBeforeItStarts), line(noPerson));

        assertThat(rows.get(0).errors()).containsExactly(new RowError(2, "Service_Type", "", "is required for a Service event"));
        assertThat(rows.get(1).errors()).containsExactly(
                new RowError(3, "Event_End_Date", "2026-06-30", "is before the event's start date"));
        assertThat(rows.get(2).errors()).containsExactly(new RowError(4, "LA_Person_ID", "", "is required"));
        assertThat(rows.get(2).personId()).isEmpty();
    }

    @Test
    void aValueAfterAQuotedLineBreakIsReportedOnItsLine() {
        // Team_Name comes before LA_Person_ID and Event_Type in the header: its line break moves them to the next line.
        Map<String, String> row = with(request(), "Team_Name", "North\nLocality");
        row.put("Event_Type", "Visit");
        String quoted = line(row).replace("North\nLocality", "\"North\nLocality\"");

        List<CldRow> rows = parse(quoted, line(request()));

        assertThat(rows.get(0).line()).isEqualTo(2);
        assertThat(rows.get(0).errors()).containsExactly(
                new RowError(3, "Event_Type", "Visit", "is not one of Request, Assessment, Service, Review"));
        assertThat(rows.get(1).line()).isEqualTo(4);
    }

    @Test
    void aHeaderMissingAColumnIsRefusedNamingIt() {
        List<String> header = HEADER.stream().filter(column -> !column.equals("Event_Outcome")).toList();

        assertThatThrownBy(() -> parse(header, line(header, request())))
                .isInstanceOf(MissingColumnsException.class)
                .hasMessage("the header row lacks the required column Event_Outcome")
                .satisfies(e -> assertThat(((MissingColumnsException) e).missing()).containsExactly("Event_Outcome"));
    }

    @Test
    void everyCldColumnIsRequiredInTheHeader() {
        for (CldColumn column : CldColumn.values()) {
            List<String> header = HEADER.stream().filter(name -> !name.equalsIgnoreCase(column.header())).toList();
            assertThat(header).as(column.header()).hasSize(HEADER.size() - 1);

            assertThatThrownBy(() -> parse(header, line(header, request()))).as(column.header())
                    .isInstanceOf(MissingColumnsException.class)
                    .satisfies(e -> assertThat(((MissingColumnsException) e).missing()).containsExactly(column.header()));
        }
    }
}
