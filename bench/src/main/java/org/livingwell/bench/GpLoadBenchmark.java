package org.livingwell.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.livingwell.bench.HeapSampler.HeapResult;
import org.livingwell.bench.SyntheticGpRegisters.Fault;
import org.livingwell.bench.SyntheticGpRegisters.PracticeFile;

/**
 * Load on the GP SMI-register feed (issue 8's figures), against one gateway process (the packaged app, fresh data
 * directory, {@code -Xmx} as given).
 *
 * <ol>
 *   <li>Borough: the 48 synthetic practices' registers ({@link SyntheticGpRegisters}, about 4,000 rows, faults
 *       planted), uploaded one after another in full mode ({@code POST /ingest/gp/{ods}/smi-register}), then each batch
 *       polled ({@code GET /ingest/batches/{id}}) until applied; rows applied/s from the first upload to the last batch
 *       applied.</li>
 *   <li>Big: one practice's register of 100,000 rows (G85999), written to a temporary file and uploaded from it
 *       (both streamed), polled until applied; rows applied/s from the start of the upload.</li>
 * </ol>
 * Throughout, the gateway's used heap (S0U+S1U+EU+OU of {@code jstat -gc}, every 500 ms) and, at the end, whether its
 * log shows an {@code OutOfMemoryError}. It judges the targets: the borough in under 60 s, the big file at 1,000
 * rows/s or more, the heap under 512 MB (run with {@code --heap 512m}, the peak cannot pass the limit, so what the
 * judgement really tells is that the run finished without running out of memory; the full GCs say how tight it was).
 *
 * <p>Run {@code bench/gp-load.sh} after {@code mvn -B -DskipTests package}; options {@code --practices 48 --patients
 * 4000 --big-rows 100000 --big-mode full --heap 512m --jar <path> --skip-big --smoke}. {@code --big-mode delta} uploads
 * the big file as a delta (no full-extract episode look-up at the end). {@code --smoke} is a small run that judges
 * correctness only (every accepted row applied, the rejected rows exactly the planted faults, every batch applied).
 */
public final class GpLoadBenchmark {

    private static final double TARGET_BOROUGH_SECONDS = 60;
    private static final double TARGET_BIG_ROWS_PER_SECOND = 1000;
    private static final double TARGET_HEAP_MB = 512;
    /** The seed of the synthetic registers: the borough's files are those of {@code new SyntheticGpRegisters(42)}. */
    private static final long SEED = 42;
    private static final String WARM_UP_PRACTICE = "G85900";
    private static final String BIG_PRACTICE = "G85999";
    private static final int WARM_UP_ROWS = 50;
    /**
     * A batch whose rowsApplied has got no further for this long is given up on (the smoke run's rows are few, and a
     * batch that fails is retried by the route for minutes).
     */
    private static final Duration STALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SMOKE_STALL_TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private GpLoadBenchmark() {}

    /**
     * What to run. The smoke run has 8 practices, not fewer: one practice in eight has faults planted
     * ({@code SyntheticGpRegisters.FAULTY_PRACTICE_EVERY}), so fewer would leave the rejected rows unchecked.
     */
    record Options(int practices, int patients, int bigRows, String bigMode, String heap, Path jar, boolean smoke,
                   boolean skipBig) {

        static Options smoke(Path jar) {
            return new Options(8, 120, 500, "full", "768m", jar, true, false);
        }

        Duration stallTimeout() {
            return smoke ? SMOKE_STALL_TIMEOUT : STALL_TIMEOUT;
        }

        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            boolean smoke = false;
            boolean skipBig = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--smoke" -> smoke = true;
                    case "--skip-big" -> skipBig = true;
                    case "--practices", "--patients", "--big-rows", "--big-mode", "--heap", "--jar" -> values.put(args[i], args[++i]);
                    default -> throw new IllegalArgumentException("Unknown argument " + args[i] + "; options: --practices N"
                            + " --patients N --big-rows N --big-mode full|delta --heap SIZE (e.g. 512m) --jar PATH --skip-big --smoke");
                }
            }
            Path jar = GatewayProcess.locateJar(values.get("--jar"));
            if (smoke) {
                return smoke(jar);
            }
            String bigMode = values.getOrDefault("--big-mode", "full");
            if (!bigMode.equals("full") && !bigMode.equals("delta")) {
                throw new IllegalArgumentException("--big-mode must be full or delta");
            }
            return new Options(number(values, "--practices", 48), number(values, "--patients", 4000),
                    number(values, "--big-rows", 100_000), bigMode, values.getOrDefault("--heap", "512m"), jar, false, skipBig);
        }

        private static int number(Map<String, String> values, String name, int otherwise) {
            return values.containsKey(name) ? Integer.parseInt(values.get(name)) : otherwise;
        }
    }

    /**
     * The borough's files: what the answers said, how long they took, and how the batches ended.
     *
     * @param answerSeconds the upload answers' times added up (each from the start of its POST to its 202)
     * @param refused uploads not answered 202, with the answer
     * @param notApplied batches that did not end {@code applied}: batch id and status
     * @param faultMismatches practices whose rejected lines are not exactly their planted faults' lines
     * @param seconds from the first upload to the last batch seen applied
     */
    record BoroughResult(int files, int received, int accepted, int rejected, int planted, int applied, int failed,
                         int episodesEnded, double answerSeconds, double slowestAnswerSeconds, List<String> refused,
                         List<String> notApplied, List<String> faultMismatches, double seconds) {

        double appliedPerSecond() {
            return applied / seconds;
        }
    }

    /**
     * The big file.
     *
     * @param answerSeconds from the start of the upload to its 202 (streaming the file and checking every row)
     * @param seconds from the start of the upload to the batch applied
     */
    record BigResult(int rows, String mode, long bytes, int received, int accepted, int rejected, int applied, int failed,
                     String status, String refused, double answerSeconds, double seconds, int restarts) {

        double appliedPerSecond() {
            return applied / seconds;
        }

        /** Rows applied per second once the file was received and checked (the applier alone). */
        double appliedPerSecondAfterAnswer() {
            return applied / (seconds - answerSeconds);
        }
    }

    /** All parts; {@code big} is null after {@code --skip-big}. */
    record Result(BoroughResult borough, BigResult big, HeapResult heap) {

        /** Every upload answered 202, every accepted row applied, rejected rows exactly the planted faults, no OOM. */
        boolean smokePassed() {
            boolean boroughOk = borough.refused().isEmpty() && borough.notApplied().isEmpty()
                    && borough.faultMismatches().isEmpty() && borough.failed() == 0
                    && borough.applied() == borough.accepted() && borough.rejected() == borough.planted()
                    && borough.received() == borough.accepted() + borough.rejected();
            boolean bigOk = big == null || big.refused() == null && "applied".equals(big.status())
                    && big.applied() == big.rows() && big.accepted() == big.rows() && big.failed() == 0;
            return boroughOk && bigOk && heap.samples() > 0 && !heap.outOfMemory();
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Result result = run(options);
        print(options, result);
        if (options.smoke() && !result.smokePassed()) {
            System.exit(1);
        }
    }

    /** The smoke run the build makes so this benchmark cannot rot: printed, and returned to assert on. */
    static Result smoke(Path jar) throws Exception {
        Options options = Options.smoke(jar);
        Result result = run(options);
        print(options, result);
        return result;
    }

    static Result run(Options options) throws Exception {
        // One generator for everything, so that NHS numbers never repeat across files (no patient moves practice);
        // the borough first, so its files are exactly new SyntheticGpRegisters(SEED).practices(...).
        SyntheticGpRegisters registers = new SyntheticGpRegisters(SEED);
        List<PracticeFile> borough = registers.practices(options.practices(), options.patients());
        PracticeFile warmUp = registers.practices(1, WARM_UP_ROWS).get(0);

        GatewayProcess gateway = GatewayProcess.start(options.jar(), options.heap());
        System.out.println("gateway: " + options.jar() + ", -Xmx" + options.heap() + ", pid " + gateway.process().pid()
                + ", log in " + gateway.log());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HeapSampler heap = null;
        BoroughResult boroughResult;
        BigResult bigResult = null;
        try {
            heap = HeapSampler.start(gateway.process().pid());
            // Untimed: the first file builds the validator (and loads the translator's code).
            System.out.println("warm-up: " + warmUp.rows() + " rows for " + WARM_UP_PRACTICE);
            Upload warm = upload(http, gateway, WARM_UP_PRACTICE, "full", HttpRequest.BodyPublishers.ofString(warmUp.csv()));
            if (warm.refused() != null) {
                throw new IllegalStateException("Warm-up upload refused: " + warm.refused());
            }
            awaitDone(http, gateway, warm.batchId(), options.stallTimeout(), null).batch();

            boroughResult = borough(http, gateway, borough, options.stallTimeout());
            System.out.printf("borough: %d rows applied in %.1f s (%.1f rows/s)%n", boroughResult.applied(),
                    boroughResult.seconds(), boroughResult.appliedPerSecond());
            if (!options.skipBig()) {
                bigResult = big(http, gateway, registers, options.bigRows(), options.bigMode(), options.stallTimeout());
            }
        } finally {
            try {
                if (heap != null) {
                    heap.stop();
                }
            } finally {
                gateway.stop();
            }
        }
        return new Result(boroughResult, bigResult, heap.result(options.heap(), HeapSampler.outOfMemory(gateway.log())));
    }

    private static BoroughResult borough(HttpClient http, GatewayProcess gateway, List<PracticeFile> files,
                                         Duration stallTimeout) throws IOException, InterruptedException {
        System.out.printf("borough: uploading %d practice files, %d rows%n", files.size(),
                files.stream().mapToInt(PracticeFile::rows).sum());
        List<Upload> uploads = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<String> faultMismatches = new ArrayList<>();
        int received = 0;
        int accepted = 0;
        int rejected = 0;
        int planted = 0;
        double answerSeconds = 0;
        double slowest = 0;
        long start = System.nanoTime();
        for (PracticeFile file : files) {
            Upload upload = upload(http, gateway, file.ods(), "full", HttpRequest.BodyPublishers.ofString(file.csv()));
            planted += file.faults().size();
            answerSeconds += upload.answerSeconds();
            slowest = Math.max(slowest, upload.answerSeconds());
            if (upload.refused() != null) {
                refused.add(file.ods() + ": " + upload.refused());
                continue;
            }
            uploads.add(upload);
            received += upload.receipt().path("rowsReceived").asInt();
            accepted += upload.receipt().path("rowsAccepted").asInt();
            rejected += upload.receipt().path("rowsRejected").asInt();
            Set<Long> plantedLines = file.faults().stream().map(Fault::line).collect(Collectors.toCollection(TreeSet::new));
            Set<Long> errorLines = new TreeSet<>();
            upload.receipt().path("errors").forEach(error -> errorLines.add(error.path("line").asLong()));
            if (!plantedLines.equals(errorLines)) {
                faultMismatches.add(file.ods() + ": planted on lines " + plantedLines + ", rejected " + errorLines);
            }
        }
        double uploadsDone = secondsSince(start);
        System.out.printf("borough: %d uploads answered in %.2f s (answers %.2f s in all, slowest %.3f s); applying%n",
                files.size(), uploadsDone, answerSeconds, slowest);

        int applied = 0;
        int failed = 0;
        int ended = 0;
        List<String> notApplied = new ArrayList<>();
        for (Upload upload : uploads) {
            JsonNode batch = awaitDone(http, gateway, upload.batchId(), stallTimeout, null).batch();
            applied += batch.path("rowsApplied").asInt();
            failed += batch.path("rowsFailed").asInt();
            ended += batch.path("episodesEnded").asInt();
            if (!"applied".equals(batch.path("status").asText())) {
                notApplied.add(upload.batchId() + " " + batch.path("status").asText());
            }
        }
        return new BoroughResult(files.size(), received, accepted, rejected, planted, applied, failed, ended, answerSeconds,
                slowest, refused, notApplied, faultMismatches, secondsSince(start));
    }

    private static BigResult big(HttpClient http, GatewayProcess gateway, SyntheticGpRegisters registers, int rows,
                                 String mode, Duration stallTimeout) throws IOException, InterruptedException {
        Path file = Files.createTempFile("gp-big", ".csv");
        try {
            long written = System.nanoTime();
            registers.writeBig(file, rows);
            long bytes = Files.size(file);
            System.out.printf("big: %d rows for %s, %.1f MB written in %.1f s; uploading (%s)%n", rows, BIG_PRACTICE,
                    bytes / 1e6, secondsSince(written), mode);
            long start = System.nanoTime();
            Upload upload = upload(http, gateway, BIG_PRACTICE, mode, HttpRequest.BodyPublishers.ofFile(file));
            if (upload.refused() != null) {
                return new BigResult(rows, mode, bytes, 0, 0, 0, 0, 0, "refused", upload.refused(), upload.answerSeconds(),
                        secondsSince(start), 0);
            }
            System.out.printf("big: answered in %.2f s (%d rows accepted); applying%n", upload.answerSeconds(),
                    upload.receipt().path("rowsAccepted").asInt());
            Poll poll = awaitDone(http, gateway, upload.batchId(), stallTimeout, start);
            JsonNode batch = poll.batch();
            boolean applied = "applied".equals(batch.path("status").asText());
            // A batch not applied (e.g. retried by the route after a failure): the most rows it got to, and when.
            return new BigResult(rows, mode, bytes, upload.receipt().path("rowsReceived").asInt(),
                    upload.receipt().path("rowsAccepted").asInt(), upload.receipt().path("rowsRejected").asInt(),
                    applied ? batch.path("rowsApplied").asInt() : poll.mostApplied(), batch.path("rowsFailed").asInt(),
                    batch.path("status").asText(), null, upload.answerSeconds(),
                    applied ? secondsSince(start) : (poll.mostAppliedAt() - start) / 1e9, poll.restarts());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** One upload's answer: the receipt if 202, else {@code refused} says what came back. */
    private record Upload(String batchId, JsonNode receipt, String refused, double answerSeconds) {}

    private static Upload upload(HttpClient http, GatewayProcess gateway, String ods, String mode,
                                 HttpRequest.BodyPublisher body) throws IOException, InterruptedException {
        long sent = System.nanoTime();
        HttpResponse<String> response = http.send(gateway.request("/ingest/gp/" + ods + "/smi-register?mode=" + mode)
                .header("Content-Type", "text/csv").POST(body).build(), HttpResponse.BodyHandlers.ofString());
        double seconds = secondsSince(sent);
        if (response.statusCode() != 202) {
            return new Upload(null, null, "HTTP " + response.statusCode() + " " + response.body(), seconds);
        }
        JsonNode receipt = JSON.readTree(response.body());
        return new Upload(receipt.path("batchId").asText(), receipt, null, seconds);
    }

    /**
     * Polls the batch until it is applied or rejected; gives up when its rowsApplied has not moved for
     * {@code stallTimeout} or the gateway has died. With {@code progressSince} (a {@code System.nanoTime()}), prints
     * how far it has got about every 10 s.
     */
    /**
     * How polling a batch ended.
     *
     * @param mostApplied the most rowsApplied seen
     * @param mostAppliedAt when it was first seen ({@code System.nanoTime()})
     * @param restarts how often rowsApplied went back (the route applying the batch again after a failure)
     */
    private record Poll(JsonNode batch, int mostApplied, long mostAppliedAt, int restarts) {}

    private static Poll awaitDone(HttpClient http, GatewayProcess gateway, String batchId, Duration stallTimeout,
                                  Long progressSince) throws IOException, InterruptedException {
        long lastMove = System.nanoTime();
        long lastPrint = System.nanoTime();
        int mostApplied = -1;
        int previous = 0;
        int restarts = 0;
        while (true) {
            if (!gateway.process().isAlive()) {
                throw new IllegalStateException("Gateway died while applying " + batchId + "; see " + gateway.log());
            }
            // Built anew each time: the bench partner's token expires (gateway.security.token-lifetime) and is renewed.
            HttpResponse<String> response = http.send(gateway.request("/ingest/batches/" + batchId).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /ingest/batches/" + batchId + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            JsonNode batch = JSON.readTree(response.body());
            String status = batch.path("status").asText();
            if (status.equals("applied") || status.equals("rejected")) {
                return new Poll(batch, Math.max(mostApplied, batch.path("rowsApplied").asInt()), System.nanoTime(), restarts);
            }
            // Progress is a count beyond the most seen: a batch the route retries starts again from 0 each time.
            int applied = batch.path("rowsApplied").asInt();
            if (applied < previous) {
                restarts++;
                System.out.println("batch " + batchId + " is being applied again (" + previous + " rows applied, now "
                        + applied + "): a failure? see " + gateway.log());
            }
            previous = applied;
            if (applied > mostApplied) {
                mostApplied = applied;
                lastMove = System.nanoTime();
            } else if (System.nanoTime() - lastMove > stallTimeout.toNanos()) {
                System.out.println("batch " + batchId + " has not got further for " + stallTimeout.toSeconds()
                        + " s (retried? see " + gateway.log() + "): " + batch);
                return new Poll(batch, mostApplied, lastMove, restarts);
            }
            if (progressSince != null && System.nanoTime() - lastPrint >= 10_000_000_000L) {
                lastPrint = System.nanoTime();
                double seconds = secondsSince(progressSince);
                System.out.printf("big: %s, %d of %d rows applied after %.0f s (%.1f rows/s)%n", status, applied,
                        batch.path("rowsAccepted").asInt(), seconds, applied / seconds);
            }
            Thread.sleep(progressSince == null ? 100 : 500);
        }
    }

    static void print(Options options, Result result) {
        BoroughResult borough = result.borough();
        System.out.printf("borough: %d files, rows received %d, accepted %d, rejected %d (planted faults %d)%n",
                borough.files(), borough.received(), borough.accepted(), borough.rejected(), borough.planted());
        System.out.printf("borough upload answers: %.2f s in all, slowest %.3f s (sequential)%n", borough.answerSeconds(),
                borough.slowestAnswerSeconds());
        System.out.printf("borough applied/s: %.1f (%d rows applied in %.2f s from the first upload to the last batch applied),"
                        + " failed %d, episodes ended %d%n", borough.appliedPerSecond(), borough.applied(), borough.seconds(),
                borough.failed(), borough.episodesEnded());
        borough.refused().forEach(refusal -> System.out.println("borough refused upload: " + refusal));
        borough.notApplied().forEach(batch -> System.out.println("borough batch not applied: " + batch));
        borough.faultMismatches().forEach(mismatch -> System.out.println("borough faults: " + mismatch));
        BigResult big = result.big();
        if (big != null) {
            System.out.printf("big: %d rows (%.1f MB, %s), received %d, accepted %d, rejected %d, status %s%n", big.rows(),
                    big.bytes() / 1e6, big.mode(), big.received(), big.accepted(), big.rejected(), big.status());
            if (big.refused() != null) {
                System.out.println("big refused: " + big.refused());
            }
            System.out.printf("big applied/s: %.1f (%d rows applied in %.1f s from the start of the upload; answer after %.1f s,"
                            + " %.1f rows/s after it), failed %d%n", big.appliedPerSecond(), big.applied(), big.seconds(),
                    big.answerSeconds(), big.appliedPerSecondAfterAnswer(), big.failed());
            if (!"applied".equals(big.status())) {
                System.out.printf("big: NOT APPLIED (status %s, applied again %d times by the gateway): the rate above is to the"
                        + " most rows seen applied; see the gateway log%n", big.status(), big.restarts());
            }
        }
        HeapResult heap = result.heap();
        System.out.printf("heap: peak used %.0f MB (old gen %.0f MB) of -Xmx%s, %d samples over %.0f s; GCs in that time:"
                        + " %d young, %d full, %.1f s (%.0f%% of it); OutOfMemoryError in the log: %s%n", heap.peakUsedMb(),
                heap.peakOldMb(), heap.maxHeap(), heap.samples(), heap.seconds(), heap.youngGcs(), heap.fullGcs(),
                heap.gcSeconds(), 100 * heap.gcSeconds() / heap.seconds(), heap.outOfMemory() ? "yes" : "no");
        if (options.smoke()) {
            System.out.println("smoke: " + (result.smokePassed() ? "PASS" : "FAIL"));
            return;
        }
        System.out.println("target borough < 60 s: " + judge(borough.refused().isEmpty() && borough.notApplied().isEmpty()
                && borough.seconds() < TARGET_BOROUGH_SECONDS));
        if (big != null) {
            String label = "target big" + (big.rows() == 100_000 ? "" : " (" + big.rows() + " rows, not 100,000)")
                    + (big.mode().equals("full") ? "" : " (" + big.mode() + ", not a full file)");
            System.out.println(label + " >= 1000 rows/s: " + judge("applied".equals(big.status())
                    && big.appliedPerSecond() >= TARGET_BIG_ROWS_PER_SECOND));
        }
        double gcShare = heap.gcSeconds() / heap.seconds();
        System.out.println("target heap < 512 MB" + (big == null ? " (borough only, big file skipped)" : "") + ": "
                + judge(heap.under(TARGET_HEAP_MB)) + (gcShare > 0.2 ? String.format(" (no OutOfMemoryError, but collections took"
                + " %.0f%% of the time: the heap is too small to run at speed)", 100 * gcShare) : ""));
    }

    private static String judge(boolean met) {
        return met ? "PASS" : "BELOW";
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
