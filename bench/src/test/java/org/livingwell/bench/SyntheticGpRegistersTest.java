package org.livingwell.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livingwell.bench.SyntheticGpRegisters.Fault;
import org.livingwell.bench.SyntheticGpRegisters.PracticeFile;
import org.livingwell.routes.gp.GpRegisterFile;
import org.livingwell.routes.gp.ParsedRow;
import org.livingwell.routes.gp.RegisterRow;
import org.livingwell.routes.gp.RegisterRowValidator;
import org.livingwell.routes.log.RowError;

class SyntheticGpRegistersTest {

    private static final RegisterRowValidator VALIDATOR = new RegisterRowValidator();

    private final List<PracticeFile> files = new SyntheticGpRegisters(42).practices(48, 4000);

    @Test
    void fortyEightPracticesShareAboutFourThousandPatients() {
        assertThat(files).hasSize(48);
        assertThat(files).extracting(PracticeFile::ods).doesNotHaveDuplicates().allMatch(ods -> ods.matches("G85\\d{3}"));
        assertThat(files.stream().mapToInt(PracticeFile::rows).sum()).isEqualTo(4000);
        assertThat(files).allSatisfy(file -> assertThat(file.rows()).isBetween(5, 250));
    }

    @Test
    void everyFileParsesAndItsFaultyRowsAreExactlyThePlantedOnes() {
        Set<String> nhsNumbers = new HashSet<>();
        Map<String, Integer> ethnic = new HashMap<>();
        int valid = 0;
        int planted = 0;
        for (PracticeFile file : files) {
            List<Fault> found = new ArrayList<>();
            for (ParsedRow row : parse(file.csv())) {
                if (row.isValid()) {
                    RegisterRow register = row.row().orElseThrow();
                    assertThat(nhsNumbers.add(register.nhsNumber().value())).as("NHS numbers are unique").isTrue();
                    assertThat(register.nhsNumber().value()).startsWith("999");
                    register.ethnicCategory().ifPresent(code -> ethnic.merge(code, 1, Integer::sum));
                    valid++;
                } else {
                    assertThat(row.errors()).as("one fault per faulty row").hasSize(1);
                    RowError error = row.errors().get(0);
                    found.add(new Fault(error.line(), error.column(), error.message()));
                }
            }
            assertThat(found).as(file.ods()).hasSameSizeAs(file.faults());
            for (int i = 0; i < found.size(); i++) {
                Fault expected = file.faults().get(i);
                assertThat(found.get(i).line()).isEqualTo(expected.line());
                assertThat(found.get(i).column()).isEqualTo(expected.column());
                assertThat(found.get(i).kind()).contains(expected.kind());
            }
            planted += file.faults().size();
        }
        assertThat(planted).as("six faulty practices, six kinds each").isEqualTo(36);
        assertThat(valid).isEqualTo(4000 - planted);
        int stated = ethnic.values().stream().mapToInt(Integer::intValue).sum();
        double white = share(ethnic, stated, "A", "B", "C");
        double black = share(ethnic, stated, "M", "N", "P");
        assertThat(white).isBetween(0.50, 0.60);
        assertThat(black).isBetween(0.21, 0.29);
        assertThat(share(ethnic, stated, "H", "J", "K", "L")).isBetween(0.05, 0.09);
        assertThat(share(ethnic, stated, "D", "E", "F", "G")).isBetween(0.05, 0.09);
    }

    @Test
    void theSameSeedGivesTheSameFiles() {
        assertThat(new SyntheticGpRegisters(42).practices(48, 4000)).isEqualTo(files);
        assertThat(new SyntheticGpRegisters(43).practices(48, 4000)).isNotEqualTo(files);
    }

    @Test
    void writesOneFilePerPracticeAndABigFileThatStreamsThroughTheParser(@TempDir Path dir) throws IOException {
        SyntheticGpRegisters.main(new String[] {"--out", dir.toString(), "--seed", "7", "--practices", "4", "--patients", "100",
                "--big-rows", "20000"});

        try (var listing = Files.list(dir)) {
            assertThat(listing.map(path -> path.getFileName().toString()).sorted().toList())
                    .containsExactly("G85001.csv", "G85002.csv", "G85003.csv", "G85004.csv", "big.csv");
        }
        AtomicInteger rows = new AtomicInteger();
        try (InputStream in = Files.newInputStream(dir.resolve("big.csv"));
                var file = GpRegisterFile.open(in, VALIDATOR)) {
            file.rows().forEach(row -> {
                assertThat(row.errors()).isEmpty();
                rows.incrementAndGet();
            });
        }
        assertThat(rows.get()).isEqualTo(20000);
    }

    private static List<ParsedRow> parse(String csv) {
        try (var file = GpRegisterFile.open(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), VALIDATOR)) {
            return file.rows().toList();
        }
    }

    private static double share(Map<String, Integer> counts, int total, String... codes) {
        int sum = 0;
        for (String code : codes) {
            sum += counts.getOrDefault(code, 0);
        }
        return (double) sum / total;
    }
}
