package org.livingwell.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.hl7v2.model.Message;
import org.hl7.fhir.r4.model.Resource;
import org.livingwell.profiles.LivingWellValidator;
import org.livingwell.routes.trust.hl7.Hl7Parser;
import org.livingwell.routes.trust.MllpClient;
import org.livingwell.routes.trust.AdtTranslator;

/**
 * What profile validation costs the trust feed: the validation time per resource, next to the
 * end-to-end time per HL7 message through a real gateway, measured in one run on the same machine.
 *
 * <ol>
 *   <li>In this JVM: parse + translate, and validate against the Living Well profiles, each synthetic
 *       ADT^A04 (after a warm-up); medians per message.</li>
 *   <li>A gateway process (the packaged app) on a fresh data directory: the same number of other
 *       synthetic A04s sent one after another over MLLP, timed from the first send until all are in
 *       the record; that total divided by the count is the end-to-end time per message, validation
 *       included.</li>
 * </ol>
 * The share printed is validation / (end-to-end - validation): what validation adds to translation,
 * queueing and persistence.
 *
 * <p>Run after {@code mvn -B -DskipTests package}:
 * {@code mvn -q -pl bench exec:java -Dexec.args="[messages] [gateway jar]"}.
 */
public final class ValidationShareBenchmark {


    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        Path jar = GatewayProcess.locateJar(args.length > 1 ? args[1] : null);

        FhirContext fhirContext = FhirContext.forR4();
        Hl7Parser parser = new Hl7Parser();
        AdtTranslator translator = new AdtTranslator();
        long buildStart = System.nanoTime();
        LivingWellValidator validator = new LivingWellValidator(fhirContext);
        System.out.printf("validator chain built in %d ms, warm-up %d ms%n",
                (System.nanoTime() - buildStart) / 1_000_000, validator.warmUp().toMillis());

        // In-process: translation and validation per message. First half of the run is warm-up.
        List<String> inProcess = syntheticA04s(messages * 2, "BENCH-IN");
        long[] translateNanos = new long[messages];
        long[] validateNanos = new long[messages];
        int resources = 0;
        for (int i = 0; i < inProcess.size(); i++) {
            long t0 = System.nanoTime();
            Message message = parser.parse(inProcess.get(i));
            // What each upsert would write into an empty record: the translation's share includes that step.
            List<Resource> written = translator.translate(message).upserts().stream()
                    .map(upsert -> (Resource) upsert.update().apply(Optional.empty()))
                    .toList();
            long t1 = System.nanoTime();
            for (Resource resource : written) {
                validator.validateAgainstProfile(resource);
            }
            long t2 = System.nanoTime();
            if (i >= messages) {
                translateNanos[i - messages] = t1 - t0;
                validateNanos[i - messages] = t2 - t1;
                resources += written.size();
            }
        }
        double resourcesPerMessage = (double) resources / messages;
        long translateMedian = median(translateNanos);
        long validateMedian = median(validateNanos);

        // Through a real gateway.
        GatewayProcess gateway = GatewayProcess.start(jar);
        try {
            List<String> endToEnd = syntheticA04s(messages, "BENCH-E2E");
            long[] ackNanos = new long[messages];
            long start = System.nanoTime();
            try (MllpClient trust = new MllpClient("127.0.0.1", gateway.mllpPort(), 30_000)) {
                for (int i = 0; i < messages; i++) {
                    long sent = System.nanoTime();
                    String ack = trust.send(endToEnd.get(i));
                    ackNanos[i] = System.nanoTime() - sent;
                    if (ack == null || !ack.contains("MSA|AA")) {
                        throw new IllegalStateException("Not accepted: " + ack);
                    }
                }
            }
            while (gateway.patientCount() < messages) {
                Thread.sleep(50);
            }
            long totalNanos = System.nanoTime() - start;
            double endToEndPerMessage = (double) totalNanos / messages;

            System.out.printf("messages: %d ADT^A04 (%.1f resources each), gateway: %s%n", messages, resourcesPerMessage, jar);
            System.out.printf("in-process median per message: parse+translate %d us, validate %d us (%.0f us per resource)%n",
                    translateMedian / 1000, validateMedian / 1000, validateMedian / 1000 / resourcesPerMessage);
            System.out.printf("gateway end to end: %.1f ms per message (ACK median %.1f ms), %d messages in %.1f s%n",
                    endToEndPerMessage / 1e6, median(ackNanos) / 1e6, messages, totalNanos / 1e9);
            System.out.printf("validation adds %.0f%% to translation + queueing + persistence (validation / (end to end - validation))%n",
                    100.0 * validateMedian / (endToEndPerMessage - validateMedian));
        } finally {
            gateway.stop();
        }
    }

    static List<String> syntheticA04s(int count, String controlPrefix) {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(String.join("\r",
                    "MSH|^~\\&|TRUSTEPR|LWTRUST|LWGATEWAY|LWNA|20261123101500||ADT^A04^ADT_A01|" + controlPrefix + i + "|P|2.5.1",
                    "EVN|A04|20261123101500",
                    "PID|1||" + SyntheticAdt.nhsNumber(ThreadLocalRandom.current()) + "^^^NHS^NH~TR" + i + "^^^LWTRUST^MR||Benchmark^Person" + i
                            + "||19840412|F|||9 Example Street^^London^^SE11 5AA^GBR^H||020 7946 0000^PRN^PH",
                    "PV1|1|O"));
        }
        return out;
    }

    static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
