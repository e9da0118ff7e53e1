package org.livingwell.routes.gp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A register file far larger than the heap goes through the reader and validator: proof that rows are streamed,
 * not collected. The check runs in a JVM of its own with a small heap ({@link #HEAP}); {@link #main} is that JVM.
 */
class GpRegisterFileHeapTest {

    /** About 27 MB of CSV (54 MB as Java strings) through a 48 MB heap that also holds HAPI's FHIR context. */
    static final int ROWS = 200_000;
    static final String HEAP = "-Xmx48m";

    @Test
    void aFileLargerThanTheHeapIsReadRowByRow() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), HEAP, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                GpRegisterFileHeapTest.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("valid rows: " + ROWS);
    }

    /** Reads {@link #ROWS} generated rows (never held whole anywhere) and prints how many were valid. */
    public static void main(String[] args) {
        byte[] header = (GpRegisterFixtures.HEADER + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] row = (GpRegisterFixtures.ROW_1 + "\n").getBytes(StandardCharsets.UTF_8);
        InputStream rows = new InputStream() {
            private long position;
            private final long length = header.length + (long) row.length * ROWS;

            @Override
            public int read() {
                if (position == length) {
                    return -1;
                }
                long at = position++;
                return at < header.length ? header[(int) at] : row[(int) ((at - header.length) % row.length)];
            }
        };
        try (var file = GpRegisterFile.open(rows, GpRegisterFixtures.VALIDATOR)) {
            System.out.println("valid rows: " + file.rows().filter(ParsedRow::isValid).count());
        }
    }
}
