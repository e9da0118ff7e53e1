package org.livingwell.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.livingwell.bench.HeapSampler.HeapResult;
import org.livingwell.bench.SyntheticCouncil.Person;

/**
 * Load on the council feed (issue 10's figures), against one gateway process (the packaged app, fresh data directory,
 * {@code -Xmx} as given).
 *
 * <ol>
 *   <li>Case API: WireMock, in this JVM on a free port, stands in for the council's token endpoint and case API
 *       ({@link SyntheticCouncil}'s cases, 3 events each, as precomputed JSON pages, one stub per {@code page}; the
 *       {@code updatedSince} the gateway sends is not matched: each set is served as "what changed"). The gateway
 *       polls only when asked ({@code poll-interval} 1h): after an untimed warm-up set, the cases are served,
 *       {@code POST /admin/council/poll} is sent, and the time runs from that trigger until {@code GET /admin/council}
 *       shows a {@code lastSuccess} after it (its {@code casesApplied} grown by the cases). Cases and events applied
 *       per second, cases rejected, and the watermark (which should be the last case's {@code updatedAt}).</li>
 *   <li>CLD file: a file of 100,000 rows (33,334 other people, one row per event), written streaming outside the
 *       inbox and moved into {@code <data-dir>/inbox/council/}; the time runs from that move until the batch is
 *       {@code applied} ({@code GET /ingest/batches/{id}}), so it includes the drop folder's settle time
 *       ({@code gateway.council.drop-settle-ms}, 2 s) and the intake's check of every row (until the report appears
 *       in {@code .done/}). Rows applied per second, rows applied and failed.</li>
 * </ol>
 * Throughout, the gateway's heap ({@link HeapSampler}: jstat every 500 ms, peak used, collections and their time) and,
 * at the end, whether its log shows an {@code OutOfMemoryError}.
 *
 * <p>Run {@code bench/council-load.sh} after {@code mvn -B -DskipTests package}; options {@code --cases 10000
 * --page-size 100 --cld-rows 100000 --heap 768m --jar <path> --skip-api --skip-cld --cld-max-minutes N --smoke}.
 * {@code --cld-max-minutes} stops waiting for the CLD batch after that long and reports the rate reached (default: wait
 * while it progresses). {@code --smoke} is a small run that judges correctness only (30 cases in pages of 10, all
 * applied and none rejected, the watermark the last case's; a 300-row file, every row accepted and applied).
 */
public final class CouncilLoadBenchmark {

    /** The seed of the synthetic people: warm-up cases, then the timed cases, then the CLD warm-up and file. */
    private static final long SEED = 42;
    private static final int WARM_UP_CASES = 100;
    private static final int WARM_UP_CLD_ROWS = 150;
    private static final String CLIENT_ID = "living-well-gateway";
    private static final String CLIENT_SECRET = "bench-council-secret";
    private static final String TOKEN = "bench-council-token";
    private static final String CASES_PATH = "/api/v1/cases";
    private static final String TOKEN_PATH = "/oauth/token";
    /** Giving up on the gateway: its startup poll, a poll or a batch that has got no further for this long. */
    private static final Duration STALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SMOKE_STALL_TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private CouncilLoadBenchmark() {}

    /** What to run; {@code cldMaxMinutes} 0 waits for the CLD batch while it progresses. */
    record Options(int cases, int pageSize, int cldRows, String heap, Path jar, boolean smoke, boolean skipApi,
                   boolean skipCld, int cldMaxMinutes) {

        static Options smoke(Path jar) {
            return new Options(30, 10, 300, "768m", jar, true, false, false, 0);
        }

        Duration stallTimeout() {
            return smoke ? SMOKE_STALL_TIMEOUT : STALL_TIMEOUT;
        }

        int warmUpCases() {
            return smoke ? 10 : WARM_UP_CASES;
        }

        int warmUpCldRows() {
            return smoke ? 30 : WARM_UP_CLD_ROWS;
        }

        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            boolean smoke = false;
            boolean skipApi = false;
            boolean skipCld = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--smoke" -> smoke = true;
                    case "--skip-api" -> skipApi = true;
                    case "--skip-cld" -> skipCld = true;
                    case "--cases", "--page-size", "--cld-rows", "--heap", "--jar", "--cld-max-minutes" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(args[i] + " needs a value");
                        }
                        values.put(args[i], args[++i]);
                    }
                    default -> throw new IllegalArgumentException("Unknown argument " + args[i] + "; options: --cases N"
                            + " --page-size N --cld-rows N --heap SIZE (e.g. 768m) --jar PATH --skip-api --skip-cld"
                            + " --cld-max-minutes N --smoke");
                }
            }
            Path jar = GatewayProcess.locateJar(values.get("--jar"));
            if (smoke) {
                return smoke(jar);
            }
            Options options = new Options(number(values, "--cases", 10_000), number(values, "--page-size", 100),
                    number(values, "--cld-rows", 100_000), values.getOrDefault("--heap", "768m"), jar, false, skipApi,
                    skipCld, number(values, "--cld-max-minutes", 0));
            if (options.cases() < 1 || options.pageSize() < 1 || options.cldRows() < 1 || options.cldMaxMinutes() < 0) {
                throw new IllegalArgumentException("--cases, --page-size and --cld-rows must be 1 or more");
            }
            return options;
        }

        private static int number(Map<String, String> values, String name, int otherwise) {
            return values.containsKey(name) ? Integer.parseInt(values.get(name)) : otherwise;
        }
    }

    /**
     * The case API's poll.
     *
     * @param pagesServed answers to {@code GET /api/v1/cases} in the poll (one pass: {@code pages}; more if the
     *     gateway read the pages again)
     * @param applied growth of {@code casesApplied} over the poll
     * @param rejected growth of {@code casesRejected} over the poll
     * @param watermark the watermark after the poll
     * @param expectedWatermark the last case's {@code updatedAt}
     * @param seconds from the trigger until the poll's success was seen (or until it was given up on)
     * @param failure why the poll did not succeed, or null
     */
    record ApiResult(int cases, int events, int pages, int pageSize, long pagesServed, long applied, long rejected,
                     String watermark, String expectedWatermark, double seconds, String failure) {

        double casesPerSecond() {
            return applied / seconds;
        }

        /** Events of the applied cases per second (every case has {@code events / cases} of them). */
        double eventsPerSecond() {
            return (double) events * applied / cases / seconds;
        }

        boolean watermarkMatches() {
            try {
                return watermark != null && Instant.parse(watermark).equals(Instant.parse(expectedWatermark));
            } catch (DateTimeParseException notAnInstant) {
                return false;
            }
        }
    }

    /**
     * The CLD file.
     *
     * @param refused the report's errors if the file was refused as a whole (moved to {@code .error/}), else null
     * @param reportSeconds from the drop until the report appeared (settle time and the intake's check of every row)
     * @param seconds from the drop until the batch was applied (or until the most rows were seen applied, if it was not)
     * @param applyErrors the batch's applyErrors (rows the record refused), as JSON
     */
    record CldResult(int rows, int people, long bytes, double writeSeconds, int received, int accepted, int rejected,
                     String batchId, String status, int applied, int failed, String refused, String applyErrors,
                     double reportSeconds, double seconds, int restarts) {

        double appliedPerSecond() {
            return applied / seconds;
        }

        /** Rows applied per second once the report was out (the applier alone). */
        double appliedPerSecondAfterReport() {
            return applied / (seconds - reportSeconds);
        }
    }

    /** All parts; {@code api} is null after {@code --skip-api}, {@code cld} after {@code --skip-cld}. */
    record Result(ApiResult api, CldResult cld, HeapResult heap) {

        /** Every case applied and none rejected, the watermark the last case's; every row accepted and applied; no OOM. */
        boolean smokePassed() {
            boolean apiOk = api == null || api.failure() == null && api.applied() == api.cases() && api.rejected() == 0
                    && api.pagesServed() == api.pages() && api.watermarkMatches();
            boolean cldOk = cld == null || cld.refused() == null && "applied".equals(cld.status())
                    && cld.received() == cld.rows() && cld.accepted() == cld.rows() && cld.rejected() == 0
                    && cld.applied() == cld.rows() && cld.failed() == 0;
            return apiOk && cldOk && heap.samples() > 0 && !heap.outOfMemory();
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
        // One generator for everything, so that person ids and NHS numbers never repeat: every set is new people.
        SyntheticCouncil council = new SyntheticCouncil(SEED);
        List<Person> warmUp = council.people(options.warmUpCases());
        List<Person> cases = options.skipApi() ? List.of() : council.people(options.cases());
        List<String> warmUpPages = SyntheticCouncil.pages(warmUp, options.pageSize());
        List<String> pages = SyntheticCouncil.pages(cases, options.pageSize());

        CouncilStub stub = CouncilStub.start();
        GatewayProcess gateway = null;
        HeapSampler heap = null;
        Thread stopOnExit = null;
        ApiResult apiResult = null;
        CldResult cldResult = null;
        try {
            stub.serve(List.of(SyntheticCouncil.emptyPage()), options.pageSize());
            gateway = GatewayProcess.start(options.jar(), options.heap(), Files.createTempDirectory("lw-bench"), List.of(
                    "--gateway.council.base-url=" + stub.baseUrl(),
                    "--gateway.council.token-url=" + stub.baseUrl() + TOKEN_PATH,
                    "--gateway.council.client-id=" + CLIENT_ID,
                    "--gateway.council.client-secret=" + CLIENT_SECRET,
                    "--gateway.council.poll-interval=1h",
                    "--gateway.council.page-size=" + options.pageSize(),
                    "--gateway.council.timeout=60s"));
            GatewayProcess started = gateway;
            // Interrupted (Ctrl-C, kill), the gateway goes too.
            stopOnExit = new Thread(() -> started.process().destroy(), "stop-gateway");
            Runtime.getRuntime().addShutdownHook(stopOnExit);
            System.out.println("gateway: " + options.jar() + ", -Xmx" + options.heap() + ", pid " + gateway.process().pid()
                    + ", log in " + gateway.log() + "; council API stub at " + stub.baseUrl());
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            heap = HeapSampler.start(gateway.process().pid());

            // Untimed: the poll the gateway makes as it starts (no cases), then the warm-up cases (validator,
            // translator, record writer, the first transactions).
            JsonNode status = awaitStarted(http, gateway, options.stallTimeout());
            System.out.println("council feed: " + status.path("state").asText() + " after its first poll");
            System.out.printf("warm-up: %d cases in %d pages%n", warmUp.size(), warmUpPages.size());
            ApiResult warm = poll(http, gateway, stub, warmUp, warmUpPages, options, "warm-up");
            if (warm.failure() != null || warm.applied() != warm.cases()) {
                throw new IllegalStateException("Warm-up poll did not apply every case: " + warm);
            }
            if (!options.skipApi()) {
                System.out.printf("api: serving %d cases (%d events) in %d pages of %d; polling%n", cases.size(),
                        events(cases), pages.size(), options.pageSize());
                apiResult = poll(http, gateway, stub, cases, pages, options, "api");
                System.out.printf("api: %d cases applied in %.1f s (%.1f cases/s)%n", apiResult.applied(),
                        apiResult.seconds(), apiResult.casesPerSecond());
            }
            if (!options.skipCld()) {
                System.out.printf("warm-up: a CLD file of %d rows%n", options.warmUpCldRows());
                CldResult warmCld = cld(http, gateway, council, options.warmUpCldRows(), "cld-warm-up.csv", options, "warm-up");
                if (!"applied".equals(warmCld.status())) {
                    throw new IllegalStateException("Warm-up CLD file not applied: " + warmCld);
                }
                cldResult = cld(http, gateway, council, options.cldRows(), "cld-bench-" + options.cldRows() + ".csv",
                        options, "cld");
            }
        } finally {
            try {
                if (heap != null) {
                    heap.stop();
                }
                if (gateway != null) {
                    gateway.stop();
                }
                if (stopOnExit != null) {
                    Runtime.getRuntime().removeShutdownHook(stopOnExit);
                }
            } finally {
                stub.stop();
            }
        }
        return new Result(apiResult, cldResult, heap.result(options.heap(), HeapSampler.outOfMemory(gateway.log())));
    }

    private static int events(List<Person> people) {
        return people.stream().mapToInt(person -> person.events().size()).sum();
    }

    /** Waits, untimed, for the poll the gateway makes as it starts to be over; it must have worked (no cases served). */
    private static JsonNode awaitStarted(HttpClient http, GatewayProcess gateway, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode status = councilStatus(http, gateway);
            String state = status.path("state").asText();
            if (state.equals("UP")) {
                return status;
            }
            if (!state.equals("STARTING")) {
                throw new IllegalStateException("The council feed is " + state + " after its first poll: " + status);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The council feed has not polled in " + timeout + ": " + status);
            }
            Thread.sleep(100);
        }
    }

    /**
     * Serves the cases, triggers a poll and waits until {@code /admin/council} shows it succeeded (a new
     * {@code lastSuccess}) or failed (a new {@code lastFailure}), or its {@code casesApplied} has got no further for the
     * stall timeout.
     */
    private static ApiResult poll(HttpClient http, GatewayProcess gateway, CouncilStub stub, List<Person> cases,
                                  List<String> pages, Options options, String label) throws IOException, InterruptedException {
        String expectedWatermark = cases.isEmpty() ? null : cases.get(cases.size() - 1).updatedAt().toString();
        stub.serve(pages, options.pageSize());
        JsonNode before = councilStatus(http, gateway);
        long appliedBefore = before.path("casesApplied").asLong();
        long rejectedBefore = before.path("casesRejected").asLong();
        stub.pagesServed.set(0);

        long start = System.nanoTime();
        HttpResponse<String> trigger = http.send(gateway.request("/admin/council/poll")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (trigger.statusCode() != 202) {
            throw new IllegalStateException("POST /admin/council/poll answered " + trigger.statusCode() + ": " + trigger.body());
        }
        long lastMove = System.nanoTime();
        long lastPrint = System.nanoTime();
        long mostApplied = 0;
        while (true) {
            if (!gateway.process().isAlive()) {
                throw new IllegalStateException("Gateway died during the " + label + " poll; see " + gateway.log());
            }
            JsonNode now = councilStatus(http, gateway);
            long applied = now.path("casesApplied").asLong() - appliedBefore;
            long rejected = now.path("casesRejected").asLong() - rejectedBefore;
            String failure = null;
            boolean done = false;
            if (!now.path("lastFailure").equals(before.path("lastFailure"))) {
                failure = "the poll failed: " + now.path("lastError").asText();
                done = true;
            } else if (!now.path("lastSuccess").isNull() && !now.path("lastSuccess").equals(before.path("lastSuccess"))) {
                done = true;
            } else if (applied > mostApplied) {
                mostApplied = applied;
                lastMove = System.nanoTime();
            } else if (System.nanoTime() - lastMove > options.stallTimeout().toNanos()) {
                failure = "no case applied for " + options.stallTimeout().toSeconds() + " s (see " + gateway.log() + "): " + now;
                done = true;
            }
            if (done) {
                double seconds = secondsSince(start);
                return new ApiResult(cases.size(), events(cases), pages.size(), options.pageSize(), stub.pagesServed.get(),
                        applied, rejected, now.path("watermark").isNull() ? null : now.path("watermark").asText(),
                        expectedWatermark, seconds, failure);
            }
            if (!options.smoke() && System.nanoTime() - lastPrint >= 10_000_000_000L) {
                lastPrint = System.nanoTime();
                double seconds = secondsSince(start);
                System.out.printf("%s: %d of %d cases applied after %.0f s (%.1f cases/s), %d pages served%n", label,
                        applied, cases.size(), seconds, applied / seconds, stub.pagesServed.get());
            }
            Thread.sleep(100);
        }
    }

    private static JsonNode councilStatus(HttpClient http, GatewayProcess gateway) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(gateway.request("/admin/council").build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /admin/council answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /**
     * Writes a CLD file of the next people outside the inbox, moves it in, waits for its report in {@code .done/} (or
     * {@code .error/}), then for its batch to be applied.
     */
    private static CldResult cld(HttpClient http, GatewayProcess gateway, SyntheticCouncil council, int rows, String name,
                                 Options options, String label) throws IOException, InterruptedException {
        Path staging = Files.createDirectories(gateway.dataDir().resolve("bench-staging"));
        Path inbox = Files.createDirectories(gateway.dataDir().resolve("inbox").resolve("council"));
        Path file = staging.resolve(name);
        try {
            long writing = System.nanoTime();
            int people = council.writeCld(file, rows);
            double writeSeconds = secondsSince(writing);
            long bytes = Files.size(file);
            if (!options.smoke() && label.equals("cld")) {
                System.out.printf("cld: %d rows (%d people), %.1f MB written in %.1f s; dropping%n", rows, people, bytes / 1e6,
                        writeSeconds);
            }

            long start = System.nanoTime();
            Files.move(file, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            // The report is written before the file is moved beside it: the file there means the report is whole.
            Path done = inbox.resolve(".done");
            Path error = inbox.resolve(".error");
            long deadline = System.nanoTime() + options.stallTimeout().toNanos();
            while (!Files.exists(done.resolve(name)) && !Files.exists(error.resolve(name))) {
                if (!gateway.process().isAlive()) {
                    throw new IllegalStateException("Gateway died before taking " + name + "; see " + gateway.log());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " not taken from the inbox in " + options.stallTimeout()
                            + "; see " + gateway.log());
                }
                Thread.sleep(100);
            }
            double reportSeconds = secondsSince(start);
            boolean refused = Files.exists(error.resolve(name));
            JsonNode report = JSON.readTree((refused ? error : done).resolve(name + ".report.json").toFile());
            int received = report.path("rowsReceived").asInt();
            int accepted = report.path("rowsAccepted").asInt();
            int rejected = report.path("rowsRejected").asInt();
            if (refused) {
                return new CldResult(rows, people, bytes, writeSeconds, received, accepted, rejected, null, "refused", 0, 0,
                        report.path("errors").toString(), "[]", reportSeconds, reportSeconds, 0);
            }
            if (rejected > 0) {
                System.out.println(label + ": rows rejected, the first: " + first(report.path("errors")));
            }
            String batchId = report.path("batchId").asText();
            if (!options.smoke() && label.equals("cld")) {
                System.out.printf("cld: report after %.1f s (batch %s: %d rows accepted, %d rejected); applying%n",
                        reportSeconds, batchId, accepted, rejected);
            }
            Duration limit = label.equals("cld") && options.cldMaxMinutes() > 0 ? Duration.ofMinutes(options.cldMaxMinutes()) : null;
            Batch batch = awaitApplied(http, gateway, batchId, options.stallTimeout(), limit, start,
                    !options.smoke() && label.equals("cld"));
            JsonNode json = batch.json();
            boolean applied = "applied".equals(json.path("status").asText());
            return new CldResult(rows, people, bytes, writeSeconds, received, accepted, rejected, batchId,
                    json.path("status").asText(), applied ? json.path("rowsApplied").asInt() : batch.mostApplied(),
                    json.path("rowsFailed").asInt(), null, json.path("applyErrors").toString(), reportSeconds,
                    applied ? secondsSince(start) : (batch.mostAppliedAt() - start) / 1e9, batch.restarts());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String first(JsonNode errors) {
        return errors.isArray() && !errors.isEmpty() ? errors.get(0).toString() : "(none listed)";
    }

    /**
     * How waiting for a batch ended.
     *
     * @param mostApplied the most rowsApplied seen
     * @param mostAppliedAt when it was first seen ({@code System.nanoTime()})
     * @param restarts how often rowsApplied went back (the route applying the batch again after a failure)
     */
    private record Batch(JsonNode json, int mostApplied, long mostAppliedAt, int restarts) {}

    /**
     * Polls the batch until it is applied or rejected; gives up when its rowsApplied has not moved for
     * {@code stallTimeout}, when {@code limit} (if any) has passed since {@code start}, or when the gateway has died.
     */
    private static Batch awaitApplied(HttpClient http, GatewayProcess gateway, String batchId, Duration stallTimeout,
                                      Duration limit, long start, boolean progress) throws IOException, InterruptedException {
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
            int applied = batch.path("rowsApplied").asInt();
            if (status.equals("applied") || status.equals("rejected")) {
                return new Batch(batch, Math.max(mostApplied, applied), System.nanoTime(), restarts);
            }
            // Progress is a count beyond the most seen: a batch the route retries starts again from 0 each time.
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
                return new Batch(batch, mostApplied, lastMove, restarts);
            }
            if (limit != null && System.nanoTime() - start > limit.toNanos()) {
                System.out.println("batch " + batchId + " not applied after " + limit.toMinutes() + " min (--cld-max-minutes):"
                        + " stopped waiting, " + applied + " rows applied");
                return new Batch(batch, mostApplied, lastMove, restarts);
            }
            if (progress && System.nanoTime() - lastPrint >= 10_000_000_000L) {
                lastPrint = System.nanoTime();
                double seconds = secondsSince(start);
                System.out.printf("cld: %s, %d of %d rows applied after %.0f s (%.1f rows/s)%n", status, applied,
                        batch.path("rowsAccepted").asInt(), seconds, applied / seconds);
            }
            Thread.sleep(progress ? 500 : 100);
        }
    }

    /**
     * The council's token endpoint and case API, served by WireMock in this JVM: a token for the gateway's client
     * credentials (client_secret_basic), and the pages of one set of cases, each answering its {@code page} (of the
     * gateway's page size, with the bearer token) whatever {@code updatedSince} says. Anything else answers 404, which
     * fails the poll.
     */
    static final class CouncilStub {

        private final WireMockServer server;
        final AtomicLong pagesServed = new AtomicLong();

        private CouncilStub(WireMockServer server) {
            this.server = server;
        }

        static CouncilStub start() {
            WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                    .disableRequestJournal());
            CouncilStub stub = new CouncilStub(server);
            server.addMockServiceRequestListener((request, response) -> {
                if (request.getUrl().startsWith(CASES_PATH)) {
                    stub.pagesServed.incrementAndGet();
                }
            });
            server.start();
            return stub;
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.port();
        }

        /** Serves these pages (JSON bodies, page 0 first) instead of whatever was served before. */
        void serve(List<String> pages, int pageSize) {
            server.resetMappings();
            server.stubFor(post(urlPathEqualTo(TOKEN_PATH))
                    .withBasicAuth(CLIENT_ID, CLIENT_SECRET)
                    .withRequestBody(containing("grant_type=client_credentials"))
                    .willReturn(okJson("{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
            for (int page = 0; page < pages.size(); page++) {
                server.stubFor(get(urlPathEqualTo(CASES_PATH))
                        .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                        .withQueryParam("page", equalTo(Integer.toString(page)))
                        .withQueryParam("size", equalTo(Integer.toString(pageSize)))
                        .willReturn(okJson(Objects.requireNonNull(pages.get(page)))));
            }
        }

        void stop() {
            server.stop();
        }
    }

    static void print(Options options, Result result) {
        System.out.println();
        System.out.printf("== council feed benchmark: gateway -Xmx%s%s ==%n", options.heap(), options.smoke() ? ", smoke" : "");
        ApiResult api = result.api();
        if (api != null) {
            System.out.printf("api: %d cases (%d events) in %d pages of %d; %d page requests answered%n", api.cases(),
                    api.events(), api.pages(), api.pageSize(), api.pagesServed());
            if (api.failure() != null) {
                System.out.println("api: POLL FAILED: " + api.failure());
            }
            System.out.printf("api cases/s: %.1f (%d cases applied in %.2f s from the poll trigger to its success; the"
                    + " trigger polls within a second)%n", api.casesPerSecond(), api.applied(), api.seconds());
            System.out.printf("api events/s: %.1f%n", api.eventsPerSecond());
            System.out.printf("api rejected: %d%n", api.rejected());
            System.out.printf("api watermark: %s (the last case's updatedAt %s: %s)%n", api.watermark(),
                    api.expectedWatermark(), api.watermarkMatches() ? "matches" : "DOES NOT MATCH");
        }
        CldResult cld = result.cld();
        if (cld != null) {
            System.out.printf("cld: %d rows (%d people, %.1f MB), received %d, accepted %d, rejected %d, status %s%n",
                    cld.rows(), cld.people(), cld.bytes() / 1e6, cld.received(), cld.accepted(), cld.rejected(), cld.status());
            if (cld.refused() != null) {
                System.out.println("cld refused: " + cld.refused());
            }
            System.out.printf("cld rows/s: %.1f (%d rows applied in %.1f s from the drop; report after %.1f s, %.1f rows/s"
                            + " after it)%n", cld.appliedPerSecond(), cld.applied(), cld.seconds(), cld.reportSeconds(),
                    cld.appliedPerSecondAfterReport());
            System.out.printf("cld rows applied: %d, failed: %d%s%n", cld.applied(), cld.failed(),
                    cld.failed() > 0 ? ", apply errors " + cld.applyErrors() : "");
            if (!"applied".equals(cld.status()) && cld.refused() == null) {
                System.out.printf("cld: NOT APPLIED (status %s, applied again %d times by the gateway): the rate above is to"
                        + " the most rows seen applied; see the gateway log%n", cld.status(), cld.restarts());
            }
        }
        HeapResult heap = result.heap();
        System.out.printf("heap: peak used %.0f MB (old gen %.0f MB) of -Xmx%s, %d samples over %.0f s; GCs in that time:"
                        + " %d young, %d full, %.1f s (%.0f%% of it); OutOfMemoryError in the log: %s%n", heap.peakUsedMb(),
                heap.peakOldMb(), heap.maxHeap(), heap.samples(), heap.seconds(), heap.youngGcs(), heap.fullGcs(),
                heap.gcSeconds(), 100 * heap.gcShare(), heap.outOfMemory() ? "yes" : "no");
        if (options.smoke()) {
            System.out.println("smoke: " + (result.smokePassed() ? "PASS" : "FAIL"));
        }
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
