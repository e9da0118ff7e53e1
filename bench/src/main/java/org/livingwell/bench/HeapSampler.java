package org.livingwell.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The gateway's heap over a benchmark run: {@code jstat -gc <pid> 500} on a thread of its own, one jstat process
 * sampling every 500 ms (not one per sample, which would cost the gateway's two cores a JVM start twice a second).
 * Used heap is S0U+S1U+EU+OU; sizes from jstat are in KB. Shared by the load benchmarks (GP feed, council feed).
 */
final class HeapSampler {

    /**
     * The gateway's heap over the run.
     *
     * @param maxHeap the {@code -Xmx} the gateway ran with, as given (e.g. {@code 512m})
     * @param peakUsedMb the largest S0U+S1U+EU+OU seen
     * @param peakOldMb the largest OU seen
     * @param youngGcs young collections from the first sample (after start-up) to the last
     * @param fullGcs full collections from the first sample to the last
     * @param gcSeconds time in collections from the first sample to the last
     * @param seconds from the first sample to the last
     * @param outOfMemory whether the gateway's log shows an OutOfMemoryError
     */
    record HeapResult(String maxHeap, int samples, double peakUsedMb, double peakOldMb, long youngGcs, long fullGcs,
                      double gcSeconds, double seconds, boolean outOfMemory) {

        /** Sampled at all, the peak under {@code targetMb}, and no OutOfMemoryError. */
        boolean under(double targetMb) {
            return samples > 0 && peakUsedMb < targetMb && !outOfMemory;
        }

        /** The share of the sampled time spent in collections (0 to 1). */
        double gcShare() {
            return seconds > 0 ? gcSeconds / seconds : 0;
        }
    }

    private final Process jstat;
    private final Thread reader;
    private volatile int samples;
    private volatile double peakUsedKb;
    private volatile double peakOldKb;
    private volatile long youngGcs;
    private volatile long fullGcs;
    private volatile double gcSeconds;
    private volatile double[] first;
    private volatile long firstNanos;
    private volatile long lastNanos;

    private HeapSampler(Process jstat) {
        this.jstat = jstat;
        this.reader = new Thread(this::read, "jstat-gc");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts sampling the process {@code pid} (jstat from {@code JAVA_HOME}, else from this JVM's home). */
    static HeapSampler start(long pid) throws IOException {
        String home = System.getenv().getOrDefault("JAVA_HOME", System.getProperty("java.home"));
        Path jstat = Path.of(home, "bin", "jstat");
        if (!Files.isExecutable(jstat)) {
            jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
        }
        return new HeapSampler(new ProcessBuilder(jstat.toString(), "-gc", Long.toString(pid), "500")
                .redirectErrorStream(true).start());
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> header = null;
            String line;
            while ((line = lines.readLine()) != null) {
                String[] cells = line.trim().split("\\s+");
                if (cells.length > 0 && cells[0].equals("S0C")) {
                    header = List.of(cells);
                    continue;
                }
                if (header == null || cells.length != header.size()) {
                    continue; // jstat's complaints, e.g. once the gateway has gone
                }
                try {
                    double old = value(header, cells, "OU");
                    double used = value(header, cells, "S0U") + value(header, cells, "S1U") + value(header, cells, "EU") + old;
                    peakUsedKb = Math.max(peakUsedKb, used);
                    peakOldKb = Math.max(peakOldKb, old);
                    double[] gcs = {value(header, cells, "YGC"), value(header, cells, "FGC"), value(header, cells, "GCT")};
                    if (first == null) {
                        first = gcs;
                        firstNanos = System.nanoTime();
                    }
                    youngGcs = (long) (gcs[0] - first[0]);
                    fullGcs = (long) (gcs[1] - first[1]);
                    gcSeconds = gcs[2] - first[2];
                    lastNanos = System.nanoTime();
                    samples++;
                } catch (NumberFormatException notASample) {
                    // a line that is not a sample
                }
            }
        } catch (IOException stopped) {
            // jstat was stopped
        }
    }

    private static double value(List<String> header, String[] cells, String column) {
        return Double.parseDouble(cells[header.indexOf(column)]);
    }

    void stop() throws InterruptedException {
        jstat.destroy();
        jstat.waitFor();
        reader.join(2000);
    }

    HeapResult result(String maxHeap, boolean outOfMemory) {
        return new HeapResult(maxHeap, samples, peakUsedKb / 1024, peakOldKb / 1024, youngGcs, fullGcs, gcSeconds,
                (lastNanos - firstNanos) / 1e9, outOfMemory);
    }

    /** Whether the gateway's log shows an {@code OutOfMemoryError}. */
    static boolean outOfMemory(Path log) throws IOException {
        if (!Files.exists(log)) {
            return false;
        }
        try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.anyMatch(line -> line.contains("OutOfMemoryError"));
        }
    }
}
