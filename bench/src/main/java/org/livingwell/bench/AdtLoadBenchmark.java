package org.livingwell.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.livingwell.bench.SyntheticAdt.Event;
import org.livingwell.routes.trust.MllpClient;

/**
 * Load on the trust ADT feed, next to the same writes posted straight to {@code /fhir}, in one run
 * against one gateway process (the packaged app, fresh data directory).
 *
 * <ol>
 *   <li>Feed: S senders on persistent MLLP connections send a synthetic A01/A02/A08/A03/A04 mix back to
 *       back (each patient always through the same sender, so their order holds); ACK latency per
 *       message, answers by kind, then how soon the gateway has applied all it accepted
 *       ({@code /admin/messages/summary}).</li>
 *   <li>Direct: C HTTP clients post, for each message of a fresh copy of the mix, the transaction the
 *       feed writes for it (Patient, Organizations, Encounter, Provenance) to {@code /fhir}.</li>
 * </ol>
 * It prints feed applied/s over direct transactions/s, and judges the floor (ratio at least 1)
 * and targets (1,000 ACKs/s, ACK p99 under 20 ms, 300 applied/s).
 *
 * <p>Run {@code bench/adt-load.sh --messages 3000} after {@code mvn -B -DskipTests package};
 * options {@code --messages 3000 --senders 8 --clients 8 --patients 400 --ref-share 0 --jar <path> --direct-only --smoke}.
 * {@code --ref-share 20} makes a fifth of the messages referrals (REF I12/I13/I14) instead of ADT.
 */
public final class AdtLoadBenchmark {

    private static final double TARGET_ACKS_PER_SECOND = 1000;
    private static final double TARGET_ACK_P99_MS = 20;
    private static final double TARGET_APPLIED_PER_SECOND = 300;
    private static final int MLLP_TIMEOUT_MS = 30_000;
    private static final Pattern MSA = Pattern.compile("(?:^|\r)MSA\\|([^|\r]*)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdtLoadBenchmark() {}

    /**
     * What to run; {@code --smoke} is a tiny run that judges correctness only, with referrals in the mix.
     *
     * @param refShare the percentage of messages that are referrals (REF), the rest ADT
     */
    record Options(int messages, int senders, int clients, int patients, int refShare, Path jar, boolean smoke,
                   boolean directOnly) {

        static Options smoke(Path jar, boolean directOnly) {
            return new Options(60, 2, 2, 12, 20, jar, true, directOnly);
        }

        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            boolean smoke = false;
            boolean directOnly = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--smoke" -> smoke = true;
                    case "--direct-only" -> directOnly = true;
                    case "--messages", "--senders", "--clients", "--patients", "--ref-share", "--jar" -> values.put(args[i], args[++i]);
                    default -> throw new IllegalArgumentException("Unknown argument " + args[i] + "; options: --messages N"
                            + " --senders N --clients N --patients N --ref-share PERCENT --jar PATH --direct-only --smoke");
                }
            }
            Path jar = GatewayProcess.locateJar(values.get("--jar"));
            if (smoke) {
                return smoke(jar, directOnly);
            }
            return new Options(number(values, "--messages", 6000), number(values, "--senders", 8),
                    number(values, "--clients", 8), number(values, "--patients", 400), number(values, "--ref-share", 0),
                    jar, false, directOnly);
        }

        private static int number(Map<String, String> values, String name, int otherwise) {
            return values.containsKey(name) ? Integer.parseInt(values.get(name)) : otherwise;
        }
    }

    /**
     * Phase 1: what the senders got back, and how soon the gateway settled what it accepted.
     *
     * @param referrals how many of the messages were referrals (REF)
     */
    record FeedResult(int messages, int referrals, int senders, Map<String, Integer> answers, long[] ackNanos,
                      double sendSeconds, int applied, int deadLettered, int rejected, double applySeconds) {

        int accepted() {
            return answers.getOrDefault("AA", 0);
        }

        double ackedPerSecond() {
            return accepted() / sendSeconds;
        }

        double appliedPerSecond() {
            return applied / applySeconds;
        }
    }

    /** Phase 2: the same kind of transactions posted straight to {@code /fhir}. */
    record DirectResult(int transactions, int clients, int failed, String firstError, long[] latencyNanos, double seconds) {

        double perSecond() {
            return (transactions - failed) / seconds;
        }
    }

    /** Both phases; {@code feed} is null after {@code --direct-only}. */
    record Result(FeedResult feed, DirectResult direct) {

        /** Every message AA'd and applied, every direct post 2xx. */
        boolean smokePassed() {
            boolean feedOk = feed == null
                    || feed.accepted() == feed.messages() && feed.applied() == feed.messages();
            return feedOk && direct.failed() == 0 && direct.transactions() > 0;
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

    /** The smoke run the build makes so this generator cannot rot: printed, and returned to assert on. */
    static Result smoke(Path jar) throws Exception {
        Options options = Options.smoke(jar, false);
        Result result = run(options);
        print(options, result);
        return result;
    }

    static Result run(Options options) throws Exception {
        SyntheticAdt adt = new SyntheticAdt(20260105L, options.refShare());
        List<Event> feedEvents = options.directOnly() ? List.of() : adt.mix(options.messages(), options.patients());
        List<Event> directEvents = adt.mix(options.messages(), options.patients());
        GatewayProcess gateway = GatewayProcess.start(options.jar());
        System.out.println("gateway: " + options.jar() + ", log in " + gateway.dataDir());
        try {
            createOrganizations(gateway);
            if (!options.smoke()) {
                // Untimed warm-up of both paths on other patients: the JIT compiles HAPI's code for a minute or
                // more (a C2 thread took a third of a core early on), and whichever phase ran first paid for it.
                int warmUp = Math.max(300, options.messages() / 3);
                System.out.println("warm-up: " + warmUp + " feed messages, " + warmUp + " direct transactions");
                if (!options.directOnly()) {
                    feed(gateway, adt.mix(warmUp, options.patients()), options.senders());
                }
                direct(gateway, adt.mix(warmUp, options.patients()), options.clients());
            }
            FeedResult feed = options.directOnly() ? null : feed(gateway, feedEvents, options.senders());
            return new Result(feed, direct(gateway, directEvents, options.clients()));
        } finally {
            gateway.stop();
        }
    }

    private static FeedResult feed(GatewayProcess gateway, List<Event> events, int senders) throws Exception {
        List<List<String>> lanes = lanes(events, senders, Event::hl7);
        List<MllpClient> connections = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            connections.add(new MllpClient("127.0.0.1", gateway.mllpPort(), MLLP_TIMEOUT_MS));
        }
        Map<String, Integer> answers = new ConcurrentHashMap<>(Map.of("AA", 0, "AE", 0, "AR", 0, "no answer", 0));
        long[][] ackNanos = new long[senders][];
        Instant since = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        long start = System.nanoTime();
        inParallel(senders, lane -> ackNanos[lane] = send(gateway, connections.get(lane), lanes.get(lane), answers));
        double sendSeconds = secondsSince(start);

        int accepted = answers.get("AA");
        JsonNode summary = awaitSettled(gateway, since, accepted, Duration.ofSeconds(60 + events.size() / 10));
        int referrals = (int) events.stream().filter(event -> event.referral() != null).count();
        return new FeedResult(events.size(), referrals, senders, answers, sorted(ackNanos), sendSeconds,
                summary.path("APPLIED").asInt(), summary.path("DEAD_LETTERED").asInt(), summary.path("REJECTED").asInt(),
                secondsSince(start));
    }

    /** One sender: each message as soon as the previous one is answered; a new connection after no answer. */
    private static long[] send(GatewayProcess gateway, MllpClient connection, List<String> messages,
                               Map<String, Integer> answers) throws IOException {
        long[] nanos = new long[messages.size()];
        int answered = 0;
        MllpClient client = connection;
        try {
            for (String message : messages) {
                long sent = System.nanoTime();
                String ack;
                try {
                    ack = client.send(message);
                } catch (IOException noAnswer) {
                    ack = null;
                }
                if (ack != null) {
                    nanos[answered++] = System.nanoTime() - sent;
                } else {
                    client.close();
                    client = new MllpClient("127.0.0.1", gateway.mllpPort(), MLLP_TIMEOUT_MS);
                }
                answers.merge(acknowledgementCode(ack), 1, Integer::sum);
            }
        } finally {
            client.close();
        }
        return Arrays.copyOf(nanos, answered);
    }

    private static String acknowledgementCode(String ack) {
        if (ack == null) {
            return "no answer";
        }
        Matcher msa = MSA.matcher(ack);
        return msa.find() ? msa.group(1) : "unreadable";
    }

    /**
     * Polls the message log until every AA'd message is settled (applied, dead-lettered or rejected)
     * and none is left waiting; REJECTED may also count AR'd messages, hence both conditions.
     */
    private static JsonNode awaitSettled(GatewayProcess gateway, Instant since, int accepted, Duration timeout)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            // A request of its own each time: it carries a current token (they last 5 minutes).
            HttpRequest request = gateway.request("/admin/messages/summary?since=" + since).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /admin/messages/summary answered " + response.statusCode() + ": "
                        + response.body());
            }
            JsonNode summary = JSON.readTree(response.body());
            int settled = summary.path("APPLIED").asInt() + summary.path("DEAD_LETTERED").asInt()
                    + summary.path("REJECTED").asInt();
            if (settled >= accepted && summary.path("ACCEPTED").asInt() == 0) {
                return summary;
            }
            if (System.nanoTime() > deadline) {
                System.out.println("feed: not all settled within " + timeout.toSeconds() + " s: " + summary);
                return summary;
            }
            Thread.sleep(100);
        }
    }

    /**
     * Before anything is timed: the practices, the trust and its teams, as in a record the feed has run into for
     * a while (so neither phase races to create them); this first write also waits for the validator
     * the gateway builds just after start-up.
     */
    private static void createOrganizations(GatewayProcess gateway) throws IOException, InterruptedException {
        List<String> organizations = new ArrayList<>(SyntheticAdt.practices());
        organizations.add(SyntheticAdt.TRUST_ODS);
        HttpResponse<String> created = post(HttpClient.newHttpClient(), gateway, FhirContext.forR4Cached().newJsonParser()
                .encodeResourceToString(AdtTransaction.referenceData(organizations, SyntheticAdt.teams().keySet())));
        if (created.statusCode() / 100 != 2) {
            throw new IllegalStateException("Could not create the Organizations: HTTP " + created.statusCode() + " " + created.body());
        }
    }

    private static DirectResult direct(GatewayProcess gateway, List<Event> events, int clients) throws Exception {
        IParser json = FhirContext.forR4Cached().newJsonParser();
        List<List<String>> lanes = lanes(events, clients, event -> json.encodeResourceToString(AdtTransaction.of(event)));
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        long[][] latencyNanos = new long[clients][];
        long start = System.nanoTime();
        inParallel(clients, lane -> {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<String> bodies = lanes.get(lane);
            latencyNanos[lane] = new long[bodies.size()];
            for (int i = 0; i < bodies.size(); i++) {
                long sent = System.nanoTime();
                String error;
                try {
                    HttpResponse<String> response = post(http, gateway, bodies.get(i));
                    error = response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode() + " " + response.body();
                } catch (IOException e) {
                    error = e.toString();
                }
                latencyNanos[lane][i] = System.nanoTime() - sent;
                if (error != null) {
                    failed.incrementAndGet();
                    firstError.compareAndSet(null, error);
                }
            }
        });
        return new DirectResult(events.size(), clients, failed.get(), firstError.get(), sorted(latencyNanos), secondsSince(start));
    }

    private static HttpResponse<String> post(HttpClient http, GatewayProcess gateway, String bundle)
            throws IOException, InterruptedException {
        return http.send(gateway.request("/fhir")
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString(bundle)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void print(Options options, Result result) {
        FeedResult feed = result.feed();
        DirectResult direct = result.direct();
        if (feed != null) {
            System.out.printf("feed: %d messages, %d senders, %d patients%n", feed.messages(), feed.senders(), options.patients());
            System.out.printf("feed ACKed/s: %.1f (%d AA in %.2f s)%n", feed.ackedPerSecond(), feed.accepted(), feed.sendSeconds());
            System.out.printf("feed ACK ms: p50 %.1f p95 %.1f p99 %.1f max %.1f%n", millis(feed.ackNanos(), 0.50),
                    millis(feed.ackNanos(), 0.95), millis(feed.ackNanos(), 0.99), millis(feed.ackNanos(), 1.0));
            Map<String, Integer> errors = new TreeMap<>(feed.answers());
            errors.remove("AA");
            System.out.println("feed errors: " + errors);
            System.out.printf("feed applied/s: %.1f (%d applied in %.2f s from the first send), dead-lettered %d, rejected %d%n",
                    feed.appliedPerSecond(), feed.applied(), feed.applySeconds(), feed.deadLettered(), feed.rejected());
            if (feed.referrals() > 0) {
                // Referrals are applied among the ADT messages, in the same time: their share of the rate.
                System.out.printf("feed referrals: %d of %d messages (REF I12/I13/I14), referrals applied/s: %s%n",
                        feed.referrals(), feed.messages(), feed.applied() == feed.messages()
                                ? String.format("%.1f", feed.referrals() / feed.applySeconds())
                                : "unknown (not every message was applied)");
            }
        }
        System.out.printf("direct /fhir: %d transactions, %d clients: %.1f tx/s (%.2f s), latency ms p50 %.1f p99 %.1f, errors %d%n",
                direct.transactions(), direct.clients(), direct.perSecond(), direct.seconds(),
                millis(direct.latencyNanos(), 0.50), millis(direct.latencyNanos(), 0.99), direct.failed());
        if (direct.firstError() != null) {
            System.out.println("direct first error: " + direct.firstError());
        }
        if (options.smoke()) {
            System.out.println("smoke: " + (result.smokePassed() ? "PASS" : "FAIL"));
            return;
        }
        if (feed != null) {
            double ratio = feed.appliedPerSecond() / direct.perSecond();
            System.out.printf("ratio feed applied/s / direct tx/s: %.2f%n", ratio);
            System.out.println("floor ratio >= 1: " + judge(ratio >= 1));
            System.out.println("target ACKed/s >= 1000: " + judge(feed.ackedPerSecond() >= TARGET_ACKS_PER_SECOND));
            System.out.println("target ACK p99 < 20 ms: " + judge(millis(feed.ackNanos(), 0.99) < TARGET_ACK_P99_MS));
            System.out.println("target applied/s >= 300: " + judge(feed.appliedPerSecond() >= TARGET_APPLIED_PER_SECOND));
        }
    }

    private static String judge(boolean met) {
        return met ? "PASS" : "BELOW";
    }

    /** The messages of each sender (or client): a patient always in the same lane, in mix order. */
    private static <T> List<List<T>> lanes(List<Event> events, int lanes, Function<Event, T> as) {
        List<List<T>> out = Stream.<List<T>>generate(ArrayList::new).limit(lanes).toList();
        for (Event event : events) {
            out.get(event.lane(lanes)).add(as.apply(event));
        }
        return out;
    }

    /** A lane's work, run on its own thread. */
    private interface Lane {
        void run(int lane) throws Exception;
    }

    private static void inParallel(int lanes, Lane work) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(lanes);
        try {
            List<Callable<Void>> tasks = IntStream.range(0, lanes).<Callable<Void>>mapToObj(lane -> () -> {
                work.run(lane);
                return null;
            }).toList();
            for (Future<Void> done : threads.invokeAll(tasks)) {
                done.get();
            }
        } finally {
            threads.shutdown();
        }
    }

    private static long[] sorted(long[][] perLane) {
        return Arrays.stream(perLane).flatMapToLong(Arrays::stream).sorted().toArray();
    }

    /** Nearest-rank percentile of sorted nanoseconds, in milliseconds. */
    private static double millis(long[] sortedNanos, double quantile) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(quantile * sortedNanos.length);
        return sortedNanos[Math.max(0, rank - 1)] / 1e6;
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
