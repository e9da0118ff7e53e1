package org.livingwell.routes.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.segment.PID;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.livingwell.routes.trust.hl7.Hl7Fixtures;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.trust.hl7.Hl7Header;
import org.livingwell.routes.trust.hl7.Hl7Segments;
import org.livingwell.routes.trust.hl7.Hl7TranslationException;
import org.livingwell.routes.trust.hl7.Hl7Values;
import org.livingwell.routes.trust.hl7.XpnMapper;
import org.livingwell.routes.store.ProfileFixtures;

/**
 * What the trust feed writes conforms to the Living Well profiles: every resource each upsert of the
 * translator's RecordChange would create from a sample of messages (and each Encounter, referral and caseload
 * episode through its life) is validated as the store would validate it. References are the urn:uuid
 * placeholders the store replaces.
 */
class TrustFeedConformanceTest {

    private static final Path CORPUS = Path.of(System.getProperty("lw.hl7.corpus", "../../shared/corpus/hl7v2"));
    /** The gateway's demo data, read where it lives: it is what people see first, so it must all conform. */
    private static final Path DEMO_MESSAGES = Path.of("../gateway/src/main/resources/demo/trust-feed.hl7");

    private final TrustFeedTranslator translator = new TrustFeedTranslator();

    static Stream<Arguments> fixtureA04s() {
        String plain = Hl7Fixtures.adtA04("CF-1");
        return Stream.of(
                Arguments.of("the fixture A04", plain),
                Arguments.of("NHS number only, no MRN", Hl7Fixtures.adtA04("CF-2", "9990000018^^^NHS^NH")),
                Arguments.of("NHS number typed NH only", Hl7Fixtures.adtA04("CF-3", "9990000026^^^^NH")),
                Arguments.of("v2.3 header", changed(plain, "ADT^A04^ADT_A01|CF-1|P|2.5.1", "ADT^A04|CF-1|P|2.3")),
                Arguments.of("v2.8 header", changed(plain, "ADT^A04^ADT_A01|CF-1|P|2.5.1", "ADT^A04|CF-1|P|2.8")),
                Arguments.of("year-only birth date", changed(plain, "||19850304|", "||1985|")),
                Arguments.of("birth date with time", changed(plain, "||19850304|", "||198503041230|")),
                Arguments.of("accented name", changed(plain, "ALEX", "ZOË")),
                Arguments.of("two names, second a nickname",
                        changed(plain, "TESTPATIENT^ALEX^JO^^MX^^L", "TESTPATIENT^ALEX^JO^^MX^^L~ALEX^TESTY^^^^^N")),
                // PID-13 is the last field sent; 16 more separators reach PID-29 (death time), then PID-30.
                Arguments.of("died, with time", changed(plain,
                        "|020 7946 0000^PRN^PH", "|020 7946 0000^PRN^PH" + "|".repeat(16) + "20240110083000|Y")),
                Arguments.of("work phone and email", changed(plain,
                        "020 7946 0000^PRN^PH", "020 7946 0000^PRN^PH|020 7946 0001^WPN^PH~^NET^Internet^alex@example.org")),
                Arguments.of("no address, no phone", changed(plain,
                        "|||1 TEST STREET^FLAT 2^LONDON^GREATER LONDON^SE11 5AA^GBR^H||020 7946 0000^PRN^PH", "")));
    }

    /** The message with one part changed; fails if the part is not there, so no case silently tests the plain A04. */
    private static String changed(String message, String from, String to) {
        assertThat(message).contains(from);
        return message.replace(from, to);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtureA04s")
    void everyResourceTranslatedFromTheTestA04sConforms(String description, String message) {
        assertThat(errorsIn(translate(message))).isEmpty();
    }

    static Stream<Arguments> everyEvent() {
        String pid = AdtMessages.PID + "|" + "|".repeat(8) + "A" + "|".repeat(10) + "02";
        String mrg = "MRG|" + AdtMessages.OTHER_NHS_NUMBER + "^^^NHS^NH";
        String visit = AdtMessages.pv1(2, "I", 3, "WARD1^R2^B3", 6, "WARD0", 7, "C1234567^TESTDOC^ANNE^^^DR", 19, "V0001",
                36, "01", 44, "20240315093000", 45, "20240316120000");
        return Stream.of("A01", "A02", "A03", "A04", "A05", "A06", "A07", "A08", "A11", "A12", "A13", "A28", "A31",
                        "A34", "A39", "A40")
                .map(trigger -> Arguments.of(trigger, AdtMessages.message(trigger, "2.4", pid, AdtMessages.PD1,
                        List.of("A34", "A39", "A40").contains(trigger) ? mrg : visit)));
    }

    @ParameterizedTest(name = "ADT^{0}")
    @MethodSource("everyEvent")
    void everyResourceOfEveryEventConforms(String trigger, String message) {
        assertThat(errorsIn(translate(message))).isEmpty();
    }

    @Test
    void theEncounterConformsThroughoutItsLife() {
        Encounter encounter = null;
        SoftAssertions softly = new SoftAssertions();
        for (String[] step : new String[][] {
            {"A05", AdtMessages.pv1(2, "P", 19, "V0001")},
            {"A01", AdtMessages.pv1(2, "I", 3, "WARD1^R2^B3", 19, "V0001")},
            {"A02", AdtMessages.pv1(2, "I", 3, "WARD2", 6, "WARD1^R2^B3", 19, "V0001")},
            {"A12", AdtMessages.pv1(2, "I", 3, "WARD1^R2^B3", 6, "WARD2", 19, "V0001")},
            {"A03", AdtMessages.pv1(2, "I", 19, "V0001", 36, "19")},
            {"A13", AdtMessages.pv1(2, "I", 19, "V0001")},
            {"A11", AdtMessages.pv1(2, "I", 19, "V0001")},
        }) {
            encounter = AdtMessages.encounter(translate(AdtMessages.message(step[0], "2.5.1", AdtMessages.PID, step[1])), encounter);
            softly.assertThat(ProfileFixtures.errors(ProfileFixtures.validator().validateAgainstProfile(encounter)))
                    .as("Encounter after %s", step[0]).isEmpty();
        }
        softly.assertAll();
    }

    static Stream<Arguments> referrals() {
        String pid = AdtMessages.PID;
        String rf1 = RefMessages.rf1("A^Accepted^HL70283", "U^Urgent");
        return Stream.of(
                Arguments.of("I12 pending", RefMessages.typical("I12", "P^Pending^HL70283")),
                Arguments.of("I12 accepted: caseload episode", RefMessages.typical("I12", "A")),
                Arguments.of("I13 rejected", RefMessages.typical("I13", "R")),
                Arguments.of("I13 expired", RefMessages.typical("I13", "E")),
                Arguments.of("I14 cancel", RefMessages.typical("I14", "A")),
                Arguments.of("v2.8, REF_I14 structure", RefMessages.typical("I14", "P")
                        .replace("REF^I14^REF_I12|C-I14|P|2.5.1", "REF^I14^REF_I14|C-I14|P|2.8")),
                Arguments.of("unknown priority and status", RefMessages.message("I12", RefMessages.rf1("X", "Z"), RefMessages.SPA, pid)),
                Arguments.of("no referrer: self-referral", RefMessages.message("I12", rf1, RefMessages.SPA, pid)),
                Arguments.of("referrer a GP by GMC number", RefMessages.message("I12", rf1,
                        "PRD|RP|PATEL^ANIL^^^DR|||||C7654321^GMC", RefMessages.SPA, pid)),
                Arguments.of("referrer known by name only", RefMessages.message("I12", rf1, "PRD|RP|WALKER^ROBIN", RefMessages.SPA, pid)),
                Arguments.of("referrer's practice in PRD-10", RefMessages.message("I12", rf1,
                        "PRD|RP|SMITH^JANE||||||||Example Surgery^^^^^^^^^Y88888", RefMessages.SPA, pid)),
                Arguments.of("to a voluntary-sector partner", RefMessages.message("I12", rf1, RefMessages.REFERRER,
                        "PRD|RT|Example Wellbeing Hub|||||89X01^ODS", pid)),
                Arguments.of("local codes and diagnoses", RefMessages.message("I12",
                        "RF1|A|R|CMHT^Community team^L||Q^Quick^L|REF0001||||ZZ^Other", RefMessages.SPA, pid,
                        "DG1|1||F31.1^Bipolar affective disorder", "DG1|2||F20.0^Paranoid schizophrenia^ICD10^1234^Schizophrenia^SNOMED")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referrals")
    void everyResourceOfEveryReferralConforms(String description, String message) {
        assertThat(errorsIn(translate(message))).isEmpty();
    }

    @Test
    void theReferralAndItsCaseloadEpisodeConformThroughoutTheirLife() {
        ServiceRequest referral = null;
        EpisodeOfCare episode = null;
        SoftAssertions softly = new SoftAssertions();
        for (String[] step : new String[][] {
            {"I12", RefMessages.rf1("P", "R"), RefMessages.NOTE},
            {"I13", RefMessages.rf1("A", "R"), RefMessages.NOTE},
            {"I13", "RF1||S||||REF0001", "NTE|1||Seen: urgent"},
            {"I14", RefMessages.rf1("A", "S"), RefMessages.NOTE},
        }) {
            RecordChange change = translate(RefMessages.message(step[0], step[1], RefMessages.SPA, AdtMessages.PID, step[2]));
            ServiceRequest stored = referral;
            referral = RefMessages.referral(change, stored);
            if (RefMessages.hasEpisode(change)) {
                EpisodeOfCare next = RefMessages.episode(change, stored, episode);
                episode = next == null ? episode : next;
            }
            softly.assertThat(ProfileFixtures.errors(ProfileFixtures.validator().validateAgainstProfile(referral)))
                    .as("ServiceRequest after %s", step[0]).isEmpty();
            if (episode != null) {
                softly.assertThat(ProfileFixtures.errors(ProfileFixtures.validator().validateAgainstProfile(episode)))
                        .as("EpisodeOfCare after %s", step[0]).isEmpty();
            }
        }
        softly.assertThat(episode).as("the acceptance opened an episode").isNotNull();
        softly.assertThat(episode.getStatus()).isEqualTo(EpisodeOfCare.EpisodeOfCareStatus.FINISHED);
        softly.assertAll();
    }

    @Test
    void everyResourceTranslatedFromTheGatewayDemoMessagesConforms() throws IOException {
        List<String> messages = messagesIn(DEMO_MESSAGES);
        assertThat(messages).as("demo messages in %s", DEMO_MESSAGES.toAbsolutePath()).hasSizeGreaterThanOrEqualTo(13);

        SoftAssertions softly = new SoftAssertions();
        for (String message : messages) {
            softly.assertThat(errorsIn(translate(message))).as(message.substring(0, message.indexOf('\r'))).isEmpty();
        }
        softly.assertAll();
    }

    /**
     * Every ADT message in the shared corpus whose PID carries a valid NHS number: supported events through the
     * translator (those it refuses as content errors are answered AE and never reach the record), others through
     * {@link PidMapper}. A message without the data our profile requires (PID-5 name, PID-7 birth date) must fail
     * on exactly that, which is what sends it to a person.
     */
    @Test
    void everyCorpusAdtWithAnNhsNumberConformsOrFailsOnlyOnTheDataItLacks() throws IOException {
        assumeTrue(Files.isDirectory(CORPUS), "HL7 v2 sample corpus not found at " + CORPUS + "; skipping");
        List<Sample> samples = new ArrayList<>();
        try (Stream<Path> files = Files.list(CORPUS)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                sampleWithNhsNumber(file).ifPresent(samples::add);
            }
        }
        assumeFalse(samples.isEmpty(), "no ADT message in " + CORPUS + " carries a valid NHS number; skipping");

        SoftAssertions softly = new SoftAssertions();
        for (Sample sample : samples) {
            List<IBaseResource> resources;
            try {
                resources = sample.supported() ? created(translate(sample.message())) : List.of(PidMapper.map(sample.pid()));
            } catch (Hl7TranslationException contentError) {
                continue; // answered AE at receipt (no visit number, an impossible date...): nothing reaches the record
            }
            List<String> expected = new ArrayList<>();
            if (!hasName(sample.pid())) {
                expected.add("Patient.name: minimum required = 1");
            }
            if (Hl7Values.of(sample.pid().getDateTimeOfBirth().getTime()).isEmpty()) {
                expected.add("Patient.birthDate: minimum required = 1");
            }
            List<String> errors = resources.stream()
                    .flatMap(r -> ProfileFixtures.errors(ProfileFixtures.validator().validateAgainstProfile(r)).stream())
                    .toList();
            softly.assertThat(errors).as("%s", sample.file().getFileName()).hasSameSizeAs(expected);
            for (String fragment : expected) {
                softly.assertThat(errors).as("%s", sample.file().getFileName()).anySatisfy(e -> assertThat(e).contains(fragment));
            }
        }
        softly.assertAll();
    }

    private RecordChange translate(String message) {
        return translator.translate(Hl7Fixtures.parse(message));
    }

    /** What each upsert would write into an empty record, in order (a caseload episode follows its referral). */
    private static List<IBaseResource> created(RecordChange change) {
        return change.upserts().stream()
                .map(upsert -> (IBaseResource) upsert.update().apply(Optional.empty()))
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    private static List<String> errorsIn(RecordChange change) {
        List<String> errors = new ArrayList<>();
        for (IBaseResource resource : created(change)) {
            ProfileFixtures.errors(ProfileFixtures.validator().validateAgainstProfile(resource))
                    .forEach(error -> errors.add(resource.fhirType() + " " + error));
        }
        return errors;
    }

    /** One message per blank-line-separated block; lines starting with # are comments. */
    private static List<String> messagesIn(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
        return Arrays.stream(text.split("\n\\s*\n"))
                .map(block -> block.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                        .reduce((a, b) -> a + "\r" + b).orElse(""))
                .filter(message -> !message.isEmpty())
                .toList();
    }

    private static Optional<Sample> sampleWithNhsNumber(Path file) throws IOException {
        Message message;
        Hl7Header header;
        try {
            message = Hl7Fixtures.PARSER.parse(Files.readString(file, StandardCharsets.UTF_8));
            header = Hl7Header.of(message);
        } catch (HL7Exception | RuntimeException unparseable) {
            return Optional.empty();
        }
        if (!"ADT".equalsIgnoreCase(header.messageCode())) {
            return Optional.empty();
        }
        try {
            Optional<PID> pid = Hl7Segments.find(message, "PID", PID.class);
            if (pid.isPresent()) {
                PidMapper.nhsNumber(pid.get());
                return Optional.of(new Sample(file, new AdtTranslator().supports(header), message.encode(), pid.get()));
            }
        } catch (HL7Exception | RuntimeException noValidNhsNumber) {
            // Most samples have no (valid) NHS number: not this test's concern.
        }
        return Optional.empty();
    }

    /** Whether PID-5 has any name parts at all. */
    private static boolean hasName(PID pid) {
        return Arrays.stream(pid.getPatientName()).anyMatch(xpn -> XpnMapper.map(xpn).isPresent());
    }

    /** A corpus message whose PID carries a valid NHS number; {@code supported}: the translator takes its type. */
    private record Sample(Path file, boolean supported, String message, PID pid) {}
}
