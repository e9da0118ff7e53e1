package org.livingwell.routes.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.livingwell.routes.gp.GpRegisterFixtures.HEADER;
import static org.livingwell.routes.gp.GpRegisterFixtures.ROW_1;
import static org.livingwell.routes.gp.GpRegisterFixtures.ROW_2;
import static org.livingwell.routes.gp.GpRegisterFixtures.VALIDATOR;
import static org.livingwell.routes.gp.GpRegisterFixtures.file;
import static org.livingwell.routes.gp.GpRegisterFixtures.parse;
import static org.livingwell.routes.gp.GpRegisterFixtures.utf8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.junit.jupiter.api.Test;
import org.livingwell.routes.gp.RegisterRow.RegisterStatus;
import org.livingwell.routes.log.RowError;
import org.livingwell.routes.csv.CsvFileException;
import org.livingwell.routes.csv.NotCsvException;
import org.livingwell.routes.csv.MissingColumnsException;

class GpRegisterFileTest {

    @Test
    void readsEveryColumnOfAValidRowTyped() {
        List<ParsedRow> rows = parse(file(HEADER, ROW_1, ROW_2));

        assertThat(rows).hasSize(2).allMatch(ParsedRow::isValid);
        RegisterRow first = rows.get(0).row().orElseThrow();
        assertThat(first.line()).isEqualTo(2);
        assertThat(first.nhsNumber().value()).isEqualTo("9990000018");
        assertThat(first.familyName()).isEqualTo("Testpatient");
        assertThat(first.givenName()).isEqualTo("Alex");
        assertThat(first.dateOfBirth()).isEqualTo(LocalDate.of(1985, 3, 4));
        assertThat(first.sex()).isEqualTo(AdministrativeGender.FEMALE);
        assertThat(first.postcode()).isEqualTo("SE11 5AA");
        assertThat(first.diagnosisCode()).isEqualTo("58214004");
        assertThat(first.diagnosisDate()).isEqualTo(LocalDate.of(2019, 3, 1));
        assertThat(first.status()).isEqualTo(RegisterStatus.ACTIVE);
        assertThat(first.registerDate()).isEqualTo(LocalDate.of(2019, 3, 14));
        assertThat(first.ethnicCategory()).contains("A");
        assertThat(first.carePlanDate()).contains(LocalDate.of(2026, 2, 10));
        assertThat(first.physicalHealthCheckDate()).contains(LocalDate.of(2026, 5, 20));

        RegisterRow second = rows.get(1).row().orElseThrow();
        assertThat(second.line()).isEqualTo(3);
        assertThat(second.postcode()).as("normalised").isEqualTo("SW9 9ZZ");
        assertThat(second.status()).isEqualTo(RegisterStatus.RESOLVED);
        assertThat(second.ethnicCategory()).isEmpty();
        assertThat(second.carePlanDate()).isEmpty();
        assertThat(second.physicalHealthCheckDate()).isEmpty();
    }

    @Test
    void skipsAByteOrderMark() {
        List<ParsedRow> rows = parse("\uFEFF" + file(HEADER, ROW_1));

        assertThat(rows).singleElement().matches(ParsedRow::isValid);
    }

    @Test
    void takesTheColumnsInAnyOrderAndIgnoresColumnsItDoesNotRead() {
        String header = "practice_note,register_date,register_status,smi_diagnosis_date,smi_diagnosis_code,postcode,SEX,"
                + " date_of_birth ,given_name,family_name,nhs_number";
        String row = "\"anything, really\",2019-03-14,active,2019-03-01,58214004,SE11 5AA,Female,1985-03-04,Alex,Testpatient,999 000 0018";

        RegisterRow read = parse(file(header, row)).get(0).row().orElseThrow();

        assertThat(read.nhsNumber().value()).isEqualTo("9990000018");
        assertThat(read.familyName()).isEqualTo("Testpatient");
        assertThat(read.sex()).isEqualTo(AdministrativeGender.FEMALE);
        assertThat(read.registerDate()).isEqualTo(LocalDate.of(2019, 3, 14));
        assertThat(read.ethnicCategory()).isEmpty();
    }

    @Test
    void readsQuotedValuesWithCommasQuotesAndLineBreaksAndCountsLinesAsTheFileDoes() {
        String quoted = "9990000018,\"O'Brien, \"\"Jr\"\"\",\"Mary\nAnn\",1985-03-04,female,SE11 5AA,58214004,2019-03-01,active,2019-03-14,,,";

        List<ParsedRow> rows = parse(file(HEADER, quoted, ROW_2));

        RegisterRow first = rows.get(0).row().orElseThrow();
        assertThat(first.familyName()).isEqualTo("O'Brien, \"Jr\"");
        assertThat(first.givenName()).isEqualTo("Mary\nAnn");
        assertThat(first.line()).isEqualTo(2);
        assertThat(rows.get(1).line()).as("the quoted line break moves the next row to line 4").isEqualTo(4);
    }

    @Test
    void anErrorAfterAQuotedLineBreakIsOnTheLineItIsOn() {
        String row = "9990000018,Testpatient,\"Alex\nJo\",1985-03-04,female,SE11 5AA,58214004,2019-03-01,active,2019-02-30,,,";

        ParsedRow parsed = parse(file(HEADER, ROW_1, row, "\r\n", ROW_2.replace("1972-11-30", "1972-13-01"))).get(1);

        assertThat(parsed.line()).isEqualTo(3);
        assertThat(parsed.errors()).singleElement()
                .isEqualTo(new RowError(4, "register_date", "2019-02-30", "is not a real day"));
        List<ParsedRow> all = parse(file(HEADER, ROW_1, row, "", ROW_2.replace("1972-11-30", "1972-13-01")));
        assertThat(all).as("blank line skipped").hasSize(3);
        assertThat(all.get(2).errors()).singleElement().satisfies(error -> {
            assertThat(error.line()).as("header 1, row 2, row on 3-4, blank 5").isEqualTo(6);
            assertThat(error.column()).isEqualTo("date_of_birth");
        });
    }

    @Test
    void crLfLineEndingsCountAsOneLine() {
        List<ParsedRow> rows = parse(String.join("\r\n", HEADER, ROW_1, ROW_2.replace(",male,", ",man,")) + "\r\n");

        assertThat(rows.get(1).errors()).singleElement().satisfies(error -> assertThat(error.line()).isEqualTo(3));
    }

    @Test
    void aFileWithoutARequiredColumnIsRefusedNamingTheColumns() {
        String header = HEADER.replace("postcode,", "").replace("register_date,", "");
        assertThatThrownBy(() -> parse(file(header, ROW_1)))
                .isInstanceOf(MissingColumnsException.class)
                .hasMessage("the header row lacks the required columns postcode, register_date")
                .satisfies(e -> assertThat(((MissingColumnsException) e).missing())
                        .containsExactly("postcode", "register_date"));
    }

    @Test
    void optionalColumnsMayBeAbsent() {
        String header = "nhs_number,family_name,given_name,date_of_birth,sex,postcode,smi_diagnosis_code,"
                + "smi_diagnosis_date,register_status,register_date";
        String row = "9990000018,Testpatient,Alex,1985-03-04,female,SE11 5AA,58214004,2019-03-01,active,2019-03-14";

        assertThat(parse(file(header, row))).singleElement().matches(ParsedRow::isValid);
    }

    @Test
    void anEmptyFileIsNotCsv() {
        assertThatThrownBy(() -> parse("")).isInstanceOf(NotCsvException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> parse("\uFEFF\n\n")).isInstanceOf(NotCsvException.class).hasMessageContaining("empty");
    }

    @Test
    void aHeaderOnlyFileHasNoRows() {
        assertThat(parse(file(HEADER))).isEmpty();
    }

    @Test
    void somethingElseIsNotCsv() {
        assertThatThrownBy(() -> parse("{\"resourceType\": \"Bundle\", \"entry\": []}"))
                .isInstanceOf(NotCsvException.class).hasMessageContaining("names none of the expected columns");
        byte[] binary = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, (byte) 0xff, (byte) 0xfe, 0};
        assertThatThrownBy(() -> GpRegisterFile.open(new ByteArrayInputStream(binary), VALIDATOR))
                .isInstanceOf(NotCsvException.class).hasMessageContaining("not UTF-8");
    }

    @Test
    void anUnterminatedQuoteIsNotCsvWhenTheRowsReachIt() {
        String broken = file(HEADER, ROW_1, "9990000026,\"Sample,Robin,1972-11-30");
        List<ParsedRow> before = new ArrayList<>();

        assertThatThrownBy(() -> {
            try (var file = GpRegisterFile.open(utf8(broken), VALIDATOR)) {
                file.rows().forEach(before::add);
            }
        }).isInstanceOf(NotCsvException.class).hasMessageContaining("not valid CSV");
        assertThat(before).as("rows before the fault were handed out").hasSize(1);
    }

    @Test
    void aColumnNamedTwiceIsRefused() {
        assertThatThrownBy(() -> parse(file(HEADER + ",NHS_Number", ROW_1 + ",9990000018")))
                .isExactlyInstanceOf(CsvFileException.class).hasMessageContaining("nhs_number twice");
    }

    @Test
    void aShortRowMissesItsLastValues() {
        ParsedRow parsed = parse(file(HEADER, "9990000018,Testpatient,Alex,1985-03-04,female,SE11 5AA,58214004")).get(0);

        assertThat(parsed.errors()).extracting(RowError::column)
                .containsExactly("smi_diagnosis_date", "register_status", "register_date");
        assertThat(parsed.errors()).allSatisfy(error -> assertThat(error.message()).isEqualTo("is required"));
        assertThat(parsed.nhsNumber()).as("the valid NHS number of an invalid row").map(n -> n.value()).contains("9990000018");
    }

    @Test
    void streamsAHundredThousandRowsWithoutHoldingThem() throws IOException {
        // Rows are generated as they are read: the file never exists whole, in memory or on disk.
        int rowCount = 100_000;
        InputStream rows = new SequenceInputStream(Collections.enumeration(List.of(utf8(HEADER + "\n"), new InputStream() {
            private int row;
            private byte[] current = new byte[0];
            private int at;

            @Override
            public int read() {
                if (at == current.length) {
                    if (row == rowCount) {
                        return -1;
                    }
                    row++;
                    current = (ROW_1 + "\n").getBytes(StandardCharsets.UTF_8);
                    at = 0;
                }
                return current[at++];
            }
        })));
        AtomicLong valid = new AtomicLong();
        AtomicLong lastLine = new AtomicLong();
        try (var file = GpRegisterFile.open(rows, VALIDATOR)) {
            file.rows().forEach(row -> {
                if (row.isValid()) {
                    valid.incrementAndGet();
                }
                lastLine.set(row.line());
            });
        }
        assertThat(valid.get()).isEqualTo(rowCount);
        assertThat(lastLine.get()).isEqualTo(rowCount + 1);
    }

    @Test
    void rowsCanBeReadOnce() {
        try (var file = GpRegisterFile.open(utf8(file(HEADER, ROW_1)), VALIDATOR)) {
            assertThat(file.header()).hasSize(13);
            assertThat(file.headerLine()).isEqualTo(1);
            file.rows().toList();
            assertThatThrownBy(file::rows).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aRowErrorPrintsWithoutItsValue() {
        RowError error = new RowError(3, "nhs_number", "9990000019", "fails the NHS number modulus-11 check");

        assertThat(error.toString()).isEqualTo("line 3, nhs_number: fails the NHS number modulus-11 check")
                .doesNotContain("9990000019");
        assertThat(Optional.of(GpRegisterFixtures.row(ROW_1)).map(Object::toString).orElseThrow()).doesNotContain("Testpatient");
    }
}
