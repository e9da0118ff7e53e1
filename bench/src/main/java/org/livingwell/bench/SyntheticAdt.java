package org.livingwell.bench;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.livingwell.routes.identity.NhsNumber;

/**
 * A synthetic trust HL7 feed: made-up patients (NHS numbers from the 999 test range) admitted,
 * transferred, updated and discharged, or registered as outpatients (ADT), and, for a share of the
 * messages, referred by their GP to a trust team, the referral accepted or rejected and later ended (REF),
 * as HL7 v2.5.1 messages; patients interleaved, each patient's messages in order.
 */
final class SyntheticAdt {

    static final String TRUST_ODS = "RV5";
    static final String SENDING_APPLICATION = "TRUSTEPR";

    private static final DateTimeFormatter HL7_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final DateTimeFormatter HL7_DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final String ATTENDING = "C1234^CONSULTANT^ANNA";
    private static final List<String> PRACTICES = List.of("G85001", "G85002", "G85003", "G85004", "G85005", "G85006");
    private static final List<String> FAMILY = List.of("Ashdown", "Brightwell", "Carrow", "Dunmore", "Elstow",
            "Fairlie", "Garside", "Holloway", "Ingleby", "Jessop", "Kellaway", "Lowther", "Mabry", "Northcott",
            "Okoro", "Penrose", "Quarrie", "Rowntree", "Sallis", "Thackery");
    private static final List<String> GIVEN_F = List.of("Amara", "Chloe", "Esme", "Grace", "Isla", "Kemi", "Maya", "Nia", "Priya", "Zara");
    private static final List<String> GIVEN_M = List.of("Ben", "Dev", "Femi", "Hari", "Jonah", "Leo", "Omar", "Rhys", "Sam", "Tom");
    private static final List<String> STREETS = List.of("Example Street", "Sample Road", "Specimen Lane", "Testing Grove", "Placeholder Walk");
    private static final List<String> POSTCODES = List.of("SE11 5AA", "SE11 4ZZ", "SW9 9ZZ", "SW2 1ZZ", "SE27 0ZZ", "SE24 9ZZ");
    /** The trust's teams referrals go to: code and name. */
    private static final Map<String, String> TEAMS = Map.of("SPA", "Single Point of Access", "CMHT-N", "Community Team North",
            "CMHT-S", "Community Team South", "FOCUS", "Focused Support", "CRISIS", "Crisis Outreach");
    private static final List<String> TEAM_CODES = List.copyOf(new TreeSet<>(TEAMS.keySet()));
    private static final List<String> PRIORITIES = List.of("R", "R", "R", "U", "S");

    private final Random random;
    private final int refShare;
    private final Set<String> nhsNumbers = new HashSet<>();
    private int patientSerial;
    private int visitSerial;
    private int referralSerial;
    private int messageSerial;
    private LocalDateTime clock = LocalDateTime.of(2026, 1, 5, 8, 0);

    /** @param refShare the percentage of messages that are referrals (REF), the rest ADT */
    SyntheticAdt(long seed, int refShare) {
        random = new Random(seed);
        this.refShare = refShare;
    }

    /** A made-up person as the trust knows them at one moment. */
    record Person(String nhsNumber, String mrn, String family, String given, LocalDate birthDate, String sex,
                  String street, String postcode, String phone, String gpOds) {}

    /** One hospital visit (PV1) as it stands at one moment; {@code discharged} is null while it lasts. */
    record Visit(String number, String patientClass, String location, String priorLocation,
                 LocalDateTime admitted, LocalDateTime discharged) {

        boolean inpatient() {
            return patientClass.equals("I");
        }
    }

    /**
     * One referral as it stands at one moment.
     *
     * @param status RF1-1: P pending, A accepted, R rejected, E expired (the referral completed)
     * @param priority RF1-2: R routine, U urgent, S stat
     * @param team the trust team referred to, by code
     * @param note an NTE this message adds, or null
     */
    record Referral(String id, String status, String priority, String team, LocalDateTime referred, String note) {

        boolean accepted() {
            return status.equals("A");
        }

        static String teamName(String team) {
            return TEAMS.get(team);
        }
    }

    /**
     * One message: its trigger event, control ID, event time and the person it is about, with the visit (ADT) or
     * the referral (REF, triggers I12 to I14) it describes.
     */
    record Event(String trigger, String controlId, LocalDateTime time, Person person, Visit visit, Referral referral) {

        /** Which of {@code lanes} senders sends it: always the same one for a patient, so their order holds. */
        int lane(int lanes) {
            return Math.floorMod(person.nhsNumber().hashCode(), lanes);
        }

        String hl7() {
            return referral == null ? adt() : ref();
        }

        private String ref() {
            String time = HL7_TIME.format(this.time);
            List<String> segments = new ArrayList<>(List.of(
                    "MSH|^~\\&|" + SENDING_APPLICATION + "|" + TRUST_ODS + "|LWGATEWAY|LWNA|" + time + "||REF^" + trigger
                            + "^REF_I12|" + controlId + "|P|2.5.1",
                    "RF1|" + referral.status() + "^^HL70283|" + referral.priority() + "^^HL70280|Psy^Psychiatric^HL70281||"
                            + "O^Outpatient^HL70284|" + referral.id() + "^" + TRUST_ODS + "|" + HL7_TIME.format(referral.referred()),
                    "PRD|RP^Referring Provider^HL70286||||||" + person.gpOds() + "^ODS",
                    "PRD|RT^Referred to Provider^HL70286|" + Referral.teamName(referral.team()) + "|||||" + referral.team() + "^TEAM",
                    pid(),
                    "PD1|||^^^^^^^^^" + person.gpOds(),
                    "DG1|1||F20.0^Paranoid schizophrenia^I10",
                    "PV1|1|O"));
            if (referral.note() != null) {
                segments.add("NTE|1||" + referral.note());
            }
            return String.join("\r", segments);
        }

        private String pid() {
            return "PID|1||" + person.nhsNumber() + "^^^NHS^NH~" + person.mrn() + "^^^" + TRUST_ODS + "^MR||"
                    + person.family() + "^" + person.given() + "||" + HL7_DATE.format(person.birthDate()) + "|"
                    + person.sex() + "|||" + person.street() + "^^London^^" + person.postcode() + "^GBR^H||"
                    + person.phone() + "^PRN^PH";
        }

        private String adt() {
            String structure = switch (trigger) {
                case "A02" -> "ADT_A02";
                case "A03" -> "ADT_A03";
                default -> "ADT_A01";
            };
            String time = HL7_TIME.format(this.time);
            return String.join("\r",
                    "MSH|^~\\&|" + SENDING_APPLICATION + "|" + TRUST_ODS + "|LWGATEWAY|LWNA|" + time + "||ADT^" + trigger
                            + "^" + structure + "|" + controlId + "|P|2.5.1",
                    "EVN|" + trigger + "|" + time,
                    pid(),
                    "PD1|||^^^^^^^^^" + person.gpOds(),
                    pv1());
        }

        private String pv1() {
            String[] fields = new String[46];
            Arrays.fill(fields, "");
            fields[0] = "PV1";
            fields[1] = "1";
            fields[2] = visit.patientClass();
            fields[3] = visit.location();
            fields[6] = visit.priorLocation() == null ? "" : visit.priorLocation();
            fields[7] = ATTENDING;
            fields[19] = visit.number();
            fields[44] = HL7_TIME.format(visit.admitted());
            if (visit.discharged() != null) {
                fields[36] = "01";
                fields[45] = HL7_TIME.format(visit.discharged());
            }
            return String.join("|", fields).replaceAll("\\|+$", "");
        }
    }

    /** The practices the made-up patients are registered with (each shared by many). */
    static List<String> practices() {
        return PRACTICES;
    }

    /** The trust's teams referrals go to, by code, with their names. */
    static Map<String, String> teams() {
        return TEAMS;
    }

    /**
     * {@code messages} events over a fresh pool of {@code patients} people (NHS numbers, MRNs and
     * visit numbers this instance has not used before), in the order the trust would send them.
     */
    List<Event> mix(int messages, int patients) {
        List<Story> stories = new ArrayList<>(patients);
        for (int i = 0; i < patients; i++) {
            stories.add(new Story(newPerson()));
        }
        List<Event> events = new ArrayList<>(messages);
        while (events.size() < messages) {
            clock = clock.plusSeconds(1 + random.nextInt(30));
            Story story = stories.get(random.nextInt(patients));
            // Drawn only for a REF share, so that the ADT-only mix stays what it was.
            events.add(refShare > 0 && random.nextInt(100) < refShare ? story.nextReferral(clock) : story.next(clock));
        }
        return events;
    }

    /** A random NHS number from the 999 test range that passes the modulus-11 check. */
    static String nhsNumber(Random random) {
        while (true) {
            String first9 = "999" + String.format("%06d", random.nextInt(1_000_000));
            for (int check = 0; check <= 9; check++) {
                if (NhsNumber.isValid(first9 + check)) {
                    return first9 + check;
                }
            }
        }
    }

    private Person newPerson() {
        String nhsNumber;
        do {
            nhsNumber = nhsNumber(random);
        } while (!nhsNumbers.add(nhsNumber));
        boolean female = random.nextBoolean();
        return new Person(nhsNumber, "MRN" + (100_000 + ++patientSerial), pick(FAMILY), pick(female ? GIVEN_F : GIVEN_M),
                LocalDate.of(1945, 1, 1).plusDays(random.nextInt(60 * 365)), female ? "F" : "M",
                street(), pick(POSTCODES), phone(), pick(PRACTICES));
    }

    /** One patient's life with the trust: visit after visit, referral after referral, one message at a time. */
    private final class Story {
        private Person person;
        private Visit visit;
        private final Deque<String> pending = new ArrayDeque<>();
        private Referral referral;
        private final Deque<String> referralSteps = new ArrayDeque<>();

        Story(Person person) {
            this.person = person;
        }

        Event next(LocalDateTime time) {
            if (pending.isEmpty()) {
                planVisit();
            }
            String trigger = pending.poll();
            switch (trigger) {
                case "A01" -> visit = new Visit(visitNumber(), "I", ward(), null, time, null);
                case "A04" -> visit = new Visit(visitNumber(), "O", "OPD^C" + (1 + random.nextInt(3)) + "^", null, time, null);
                case "A02" -> visit = new Visit(visit.number(), "I", ward(), visit.location(), visit.admitted(), null);
                case "A08" -> person = changed(person);
                case "A03" -> visit = new Visit(visit.number(), "I", visit.location(), visit.priorLocation(), visit.admitted(), time);
                default -> throw new IllegalStateException(trigger);
            }
            return new Event(trigger, "LWB" + (++messageSerial), time, person, visit, null);
        }

        /** The next message about the patient's referral: a new one once the last has ended. */
        Event nextReferral(LocalDateTime time) {
            if (referralSteps.isEmpty()) {
                planReferral(time);
            }
            String step = referralSteps.poll();
            Referral r = referral;
            referral = switch (step) {
                case "I12" -> r;
                case "accept" -> new Referral(r.id(), "A", r.priority(), r.team(), r.referred(), null);
                case "reject" -> new Referral(r.id(), "R", r.priority(), r.team(), r.referred(), "Not for this team");
                case "escalate" -> new Referral(r.id(), r.status(), "U", r.team(), r.referred(), "Seen again: more urgent");
                case "complete" -> new Referral(r.id(), "E", r.priority(), r.team(), r.referred(), "Discharged from the team");
                case "cancel" -> new Referral(r.id(), r.status(), r.priority(), r.team(), r.referred(), null);
                default -> throw new IllegalStateException(step);
            };
            String trigger = switch (step) {
                case "I12" -> "I12";
                case "cancel" -> "I14";
                default -> "I13";
            };
            return new Event(trigger, "LWB" + (++messageSerial), time, person, null, referral);
        }

        /**
         * A GP referral to a trust team: new (I12), then accepted (most) or rejected (I13); an accepted one may be
         * escalated, and ends completed (I13, RF1-1 E) or cancelled (I14).
         */
        private void planReferral(LocalDateTime time) {
            referral = new Referral("RF" + (1_000_000 + ++referralSerial), "P", pick(PRIORITIES), pick(TEAM_CODES), time,
                    "Referred by the GP");
            referralSteps.add("I12");
            if (random.nextInt(5) == 0) {
                referralSteps.add("reject");
                return;
            }
            referralSteps.add("accept");
            if (random.nextBoolean()) {
                referralSteps.add("escalate");
            }
            referralSteps.add(random.nextBoolean() ? "complete" : "cancel");
        }

        /** Mostly admissions (A01, transfers and an update in some order, A03); some outpatient A04s. */
        private void planVisit() {
            if (random.nextInt(5) == 0) {
                pending.add("A04");
                return;
            }
            List<String> during = new ArrayList<>(Collections.nCopies(random.nextInt(3), "A02"));
            if (random.nextBoolean()) {
                during.add("A08");
            }
            Collections.shuffle(during, random);
            pending.add("A01");
            pending.addAll(during);
            pending.add("A03");
        }
    }

    /** The person after a real change of address or of phone number. */
    private Person changed(Person p) {
        if (random.nextBoolean()) {
            String street;
            do {
                street = street();
            } while (street.equals(p.street()));
            return new Person(p.nhsNumber(), p.mrn(), p.family(), p.given(), p.birthDate(), p.sex(),
                    street, pick(POSTCODES), p.phone(), p.gpOds());
        }
        String phone;
        do {
            phone = phone();
        } while (phone.equals(p.phone()));
        return new Person(p.nhsNumber(), p.mrn(), p.family(), p.given(), p.birthDate(), p.sex(),
                p.street(), p.postcode(), phone, p.gpOds());
    }

    private String visitNumber() {
        return "V" + (1_000_000 + ++visitSerial);
    }

    private String ward() {
        return "WARD" + (1 + random.nextInt(4)) + "^R" + (1 + random.nextInt(6)) + "^B" + (1 + random.nextInt(4));
    }

    private String street() {
        return (1 + random.nextInt(120)) + " " + pick(STREETS);
    }

    /** Ofcom's range for drama, never a real line. */
    private String phone() {
        return String.format("020 7946 %04d", random.nextInt(1000));
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
