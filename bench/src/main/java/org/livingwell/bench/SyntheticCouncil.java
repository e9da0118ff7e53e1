package org.livingwell.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Synthetic adult social care cases in the council feed's contract (README, "The council feed"; routes/README.md): each
 * person has three events, a Request ended "Progress to Assessment", an Assessment ended "Progress to Support Planning
 * / Services", and an open long-term community Service, taken as a Direct Payment (16.50 an hour for 8 hours a week),
 * a CASSR Managed Personal Budget (a weekly amount) or CASSR Commissioned Support (not a personal budget). About one
 * person in ten has no NHS number (the "not yet matched" path); the others have distinct NHS numbers from the 999 test
 * range that pass modulus 11. Names and postcodes are made up (Lambeth-like outward codes). Person ids run on from one
 * generator ({@code CB0000001} up), so every set taken from one generator is fresh, and {@code updatedAt} increases
 * with them, one second a person from {@link #FIRST_UPDATE}. No date is after {@link #AS_OF}, so the cases stay valid
 * as time passes. Deterministic: the same seed gives the same people in the same order.
 *
 * <p>Two renderings of the same people: the case API's JSON pages ({@link #pages}), and the rows of a quarterly
 * Client Level Data file (one row per event, a person's rows consecutive), written streaming ({@link #writeCld}).
 *
 * <pre>
 * java ... org.livingwell.bench.SyntheticCouncil [--out DIR] [--seed N] [--cases N] [--page-size N] [--cld-rows N]
 *   --out        directory to write to (default target/council); page-N.json per API page, and cld.csv
 *   --seed       random seed (default 42)
 *   --cases      cases for the API pages (default 10000)
 *   --page-size  cases per page (default 100)
 *   --cld-rows   rows of cld.csv, for people after the API's (default 100000; 0 for none)
 * </pre>
 */
public final class SyntheticCouncil {

    /** The CLD file's twenty columns, in the order written (the gateway takes them in any order). */
    public static final List<String> CLD_COLUMNS = List.of("LA_Person_ID", "NHS_Number", "Family_Name", "Given_Name",
            "Date_of_Birth", "Gender", "Ethnicity", "Postcode", "Primary_Support_Reason", "Event_Type", "Event_Reference",
            "Event_Start_Date", "Event_End_Date", "Event_Outcome", "Service_Type", "Service_Component",
            "Delivery_Mechanism", "Unit_Cost", "Cost_Frequency", "Planned_Units_Per_Week");
    public static final String CLD_HEADER = String.join(",", CLD_COLUMNS);
    /** Events a person has. */
    public static final int EVENTS_PER_PERSON = 3;
    /** No date in the cases is after this day. */
    public static final LocalDate AS_OF = SyntheticGpRegisters.AS_OF;
    /** The first person's {@code updatedAt}; each next person's is one second later. */
    public static final Instant FIRST_UPDATE = Instant.parse("2026-11-01T06:00:00Z");
    /** Per cent of people without an NHS number. */
    static final int WITHOUT_NHS_NUMBER_PERCENT = 10;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FAMILY = List.of("Abara", "Ashworth", "Bamford", "Bellweather", "Brightwater",
            "Castellane", "Copperfield", "Dunmore", "Eastwood", "Fairbairn", "Fenwick", "Gladwell", "Hartigan", "Holloway",
            "Ibekwe", "Kettering", "Larkspur", "Lindqvist", "Marchetti", "Mbatha", "Nwachukwu", "Oduya", "Pemberton",
            "Quarrie", "Ravensworth", "Sandoval", "Tennant", "Thistlewood", "Underhill", "Varga", "Wetherby", "Yeboah",
            "O'Halloran", "Ashby-Cole");
    private static final List<String> GIVEN_FEMALE = List.of("Adaeze", "Beatrix", "Clementine", "Delphine", "Efua",
            "Florentyna", "Ginevra", "Hollis", "Imogen", "Jessamy", "Kesi", "Lowenna", "Marisol", "Nkechi", "Ottilie");
    private static final List<String> GIVEN_MALE = List.of("Alaric", "Bartholomew", "Caspian", "Dorian", "Ekow", "Fitzroy",
            "Gethin", "Horatio", "Ikenna", "Jarvis", "Kofi", "Lysander", "Mattias", "Nnamdi", "Oswin");
    private static final List<String> OUTWARD = List.of("SE11", "SE1", "SW2", "SW4", "SW8", "SW9", "SE5", "SE24", "SE27",
            "SW16", "SE21", "SW12");
    /** Letters a postcode's inward code uses (not C, I, K, M, O, V). */
    private static final String INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";
    private static final List<String> SUPPORT_REASONS = List.of("Mental Health Support", "Mental Health Support",
            "Mental Health Support", "Physical Support: Personal care support", "Support with Memory and Cognition",
            "Learning Disability Support", "Social Support: Substance misuse support",
            "Social Support: Support for Social Isolation/Other");
    /** Census 2021 categories, with their commas (quoted in the CLD file); one person in ten gives none. */
    private static final List<String> ETHNICITIES = List.of(
            "White - English, Welsh, Scottish, Northern Irish or British", "White - Irish", "White - Any other White background",
            "Black, Black British, Caribbean or African - Caribbean", "Black, Black British, Caribbean or African - African",
            "Asian or Asian British - Indian", "Asian or Asian British - Bangladeshi",
            "Mixed or multiple ethnic groups - White and Black Caribbean", "Other ethnic group - Any other ethnic group",
            "White - Roma");

    /** One event; optional values are null when the case does not give them. */
    public record Event(String eventId, String type, LocalDate start, LocalDate end, String outcome, String serviceType,
                        String serviceComponent, String deliveryMechanism, String unitCost, String costFrequency,
                        String plannedUnitsPerWeek) {}

    /** One person's case; {@code nhsNumber} and {@code ethnicity} are null when not known. */
    public record Person(String personId, String nhsNumber, String familyName, String givenName, LocalDate dateOfBirth,
                         String gender, String ethnicity, String postcode, String primarySupportReason, Instant updatedAt,
                         List<Event> events) {}

    private final Random random;
    private final Set<String> nhsNumbers = new HashSet<>();
    private int serial;

    public SyntheticCouncil(long seed) {
        random = new Random(seed);
    }

    /** The next {@code count} people. */
    public List<Person> people(int count) {
        List<Person> people = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            people.add(person());
        }
        return people;
    }

    /** The next person. */
    public Person person() {
        serial++;
        String personId = String.format("CB%07d", serial);
        boolean female = random.nextBoolean();
        int genderRoll = random.nextInt(100);
        String gender = genderRoll < 2 ? "Not stated" : genderRoll < 3 ? "Other" : female ? "Female" : "Male";
        String given = female ? pick(GIVEN_FEMALE) : pick(GIVEN_MALE);
        String nhsNumber = random.nextInt(100) < WITHOUT_NHS_NUMBER_PERCENT ? null : nhsNumber();
        String ethnicity = random.nextInt(10) == 0 ? null : pick(ETHNICITIES);
        LocalDate birth = LocalDate.of(1940, 1, 1).plusDays(random.nextInt(62 * 365));

        // Request, then assessment, then the service that follows: all started by AS_OF.
        LocalDate request = AS_OF.minusDays(70 + random.nextInt(3 * 365));
        LocalDate requestEnd = request.plusDays(1 + random.nextInt(14));
        LocalDate assessment = requestEnd.plusDays(random.nextInt(8));
        LocalDate assessmentEnd = assessment.plusDays(7 + random.nextInt(22));
        LocalDate service = assessmentEnd.plusDays(1 + random.nextInt(14));
        List<Event> events = List.of(
                new Event(personId + "-1", "Request", request, requestEnd, "Progress to Assessment", null, null, null, null,
                        null, null),
                new Event(personId + "-2", "Assessment", assessment, assessmentEnd, "Progress to Support Planning / Services",
                        null, null, null, null, null, null),
                service(personId + "-3", service));
        return new Person(personId, nhsNumber, pick(FAMILY), given, birth, gender, ethnicity, postcode(), pick(SUPPORT_REASONS),
                FIRST_UPDATE.plusSeconds(serial - 1L), events);
    }

    private Event service(String eventId, LocalDate start) {
        int roll = random.nextInt(10);
        if (roll < 4) {
            return new Event(eventId, "Service", start, null, "Provision of service", "Long Term Support: Community",
                    "Direct Payment", "Direct Payment", "16.50", "Hourly", "8");
        }
        if (roll < 7) {
            String weekly = String.format("%d.%02d", 80 + random.nextInt(300), random.nextInt(4) * 25);
            return new Event(eventId, "Service", start, null, "Provision of service", "Long Term Support: Community",
                    "Home Support", "CASSR Managed Personal Budget", weekly, "Weekly", null);
        }
        return new Event(eventId, "Service", start, null, "Provision of service", "Long Term Support: Community",
                random.nextBoolean() ? "Home Support" : "Day Support", "CASSR Commissioned Support", "19.80", "Hourly",
                Integer.toString(4 + random.nextInt(17)));
    }

    /** The people as the case API's pages, {@code pageSize} to a page, each the JSON body of one page. */
    public static List<String> pages(List<Person> people, int pageSize) {
        int totalPages = (people.size() + pageSize - 1) / pageSize;
        List<String> pages = new ArrayList<>(totalPages);
        for (int page = 0; page < totalPages; page++) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode cases = body.putArray("cases");
            for (Person person : people.subList(page * pageSize, Math.min(people.size(), (page + 1) * pageSize))) {
                cases.add(json(person));
            }
            body.put("page", page);
            body.put("totalPages", totalPages);
            pages.add(body.toString());
        }
        return pages;
    }

    /** An empty answer (no case changed), for any page. */
    public static String emptyPage() {
        return "{\"cases\":[],\"page\":0,\"totalPages\":0}";
    }

    /** One case as the API gives it; values not known are left out. */
    public static ObjectNode json(Person person) {
        ObjectNode json = JSON.createObjectNode();
        json.put("personId", person.personId());
        if (person.nhsNumber() != null) {
            json.put("nhsNumber", person.nhsNumber());
        }
        json.put("familyName", person.familyName());
        json.put("givenName", person.givenName());
        json.put("dateOfBirth", person.dateOfBirth().toString());
        json.put("gender", person.gender());
        if (person.ethnicity() != null) {
            json.put("ethnicity", person.ethnicity());
        }
        json.put("postcode", person.postcode());
        json.put("primarySupportReason", person.primarySupportReason());
        json.put("updatedAt", person.updatedAt().toString());
        ArrayNode events = json.putArray("events");
        for (Event event : person.events()) {
            ObjectNode e = events.addObject();
            e.put("eventId", event.eventId());
            e.put("type", event.type());
            e.put("startDate", event.start().toString());
            putIf(e, "endDate", event.end() == null ? null : event.end().toString());
            putIf(e, "outcome", event.outcome());
            putIf(e, "serviceType", event.serviceType());
            putIf(e, "serviceComponent", event.serviceComponent());
            putIf(e, "deliveryMechanism", event.deliveryMechanism());
            putIf(e, "unitCost", event.unitCost());
            putIf(e, "costFrequency", event.costFrequency());
            putIf(e, "plannedUnitsPerWeek", event.plannedUnitsPerWeek());
        }
        return json;
    }

    private static void putIf(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }

    /** The person's CLD rows, one per event, values in {@link #CLD_COLUMNS} order ("" for none). */
    public static List<List<String>> cldRows(Person person) {
        List<List<String>> rows = new ArrayList<>();
        for (Event event : person.events()) {
            rows.add(List.of(person.personId(), text(person.nhsNumber()), person.familyName(), person.givenName(),
                    person.dateOfBirth().toString(), person.gender(), text(person.ethnicity()), person.postcode(),
                    person.primarySupportReason(), event.type(), event.eventId(), event.start().toString(),
                    event.end() == null ? "" : event.end().toString(), text(event.outcome()), text(event.serviceType()),
                    text(event.serviceComponent()), text(event.deliveryMechanism()), text(event.unitCost()),
                    text(event.costFrequency()), text(event.plannedUnitsPerWeek())));
        }
        return rows;
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    /**
     * Writes a CLD file of exactly {@code rows} rows (the next {@code ceil(rows / 3)} people; the last one has fewer
     * events when {@code rows} is not a multiple of three), one person at a time: nothing is held but the NHS numbers
     * used, to keep them distinct.
     *
     * @return the people written
     */
    public int writeCld(Path file, int rows) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            return writeCld(out, rows);
        }
    }

    int writeCld(Writer out, int rows) throws IOException {
        out.write(CLD_HEADER);
        out.write('\n');
        int written = 0;
        int people = 0;
        while (written < rows) {
            List<List<String>> personRows = cldRows(person());
            people++;
            for (List<String> row : personRows.subList(0, Math.min(personRows.size(), rows - written))) {
                out.write(SyntheticGpRegisters.csvLine(row));
                out.write('\n');
                written++;
            }
        }
        return people;
    }

    /** People a CLD file of {@code rows} rows has. */
    public static int peopleInCld(int rows) {
        return (rows + EVENTS_PER_PERSON - 1) / EVENTS_PER_PERSON;
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private String postcode() {
        return OUTWARD.get(random.nextInt(OUTWARD.size())) + " " + random.nextInt(10)
                + INWARD_LETTERS.charAt(random.nextInt(INWARD_LETTERS.length()))
                + INWARD_LETTERS.charAt(random.nextInt(INWARD_LETTERS.length()));
    }

    private String nhsNumber() {
        while (true) {
            String number = SyntheticAdt.nhsNumber(random);
            if (nhsNumbers.add(number)) {
                return number;
            }
        }
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of("target/council");
        long seed = 42;
        int cases = 10_000;
        int pageSize = 100;
        int cldRows = 100_000;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--out" -> out = Path.of(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--cases" -> cases = Integer.parseInt(value);
                case "--page-size" -> pageSize = Integer.parseInt(value);
                case "--cld-rows" -> cldRows = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--out DIR, --seed N, --cases N, --page-size N, --cld-rows N)");
            }
        }
        Files.createDirectories(out);
        SyntheticCouncil council = new SyntheticCouncil(seed);
        List<String> pages = pages(council.people(cases), pageSize);
        for (int page = 0; page < pages.size(); page++) {
            Files.writeString(out.resolve("page-" + page + ".json"), pages.get(page), StandardCharsets.UTF_8);
        }
        System.out.printf("%d cases in %d pages of %d in %s%n", cases, pages.size(), pageSize, out.toAbsolutePath());
        if (cldRows > 0) {
            int people = council.writeCld(out.resolve("cld.csv"), cldRows);
            System.out.printf("cld.csv: %d rows, %d people%n", cldRows, people);
        }
    }
}
