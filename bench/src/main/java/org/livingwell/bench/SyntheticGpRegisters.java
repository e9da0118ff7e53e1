package org.livingwell.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.livingwell.routes.gp.SmiDiagnoses;

/**
 * A synthetic population of GP SMI registers, in the GP feed's CSV contract (routes/README.md, "The GP feed"): 48
 * made-up practices (ODS codes G85001 up), about 4,000 register patients spread unevenly over them, NHS numbers from
 * the 999 test range, Lambeth postcodes, ethnic categories in proportions like Lambeth's, diagnoses from the
 * {@code lw-smi-diagnosis} ValueSet. A few practices' files carry realistic faults, one per row, each listed in
 * {@link PracticeFile#faults()}. Deterministic: the same seed gives the same files, byte for byte.
 *
 * <pre>
 * java ... org.livingwell.bench.SyntheticGpRegisters [--out DIR] [--seed N] [--practices N] [--patients N] [--big-rows N]
 *   --out        directory to write to (default target/gp-registers); one G85xxx.csv per practice
 *   --seed       random seed (default 42)
 *   --practices  number of practices (default 48)
 *   --patients   register patients over all practices (default 4000)
 *   --big-rows   also write big.csv with this many valid rows for one practice (G85999), streamed to disk (e.g. 100000)
 * </pre>
 */
public final class SyntheticGpRegisters {

    /** The header, in contract order. */
    public static final String HEADER = "nhs_number,family_name,given_name,date_of_birth,sex,postcode,smi_diagnosis_code,"
            + "smi_diagnosis_date,register_status,register_date,ethnic_category,care_plan_date,physical_health_check_date";
    /** No date in the files is after this day (faults apart), so they stay valid as time passes. */
    public static final LocalDate AS_OF = LocalDate.of(2026, 11, 1);
    /** One practice in this many has faults planted in its file. */
    static final int FAULTY_PRACTICE_EVERY = 8;

    private static final List<String> FAMILY = List.of("Adeyemi", "Ahmed", "Allen", "Asante", "Baker", "Barnes", "Begum",
            "Bennett", "Boateng", "Brown", "Campbell", "Carter", "Chen", "Clarke", "Costa", "Da Silva", "Davies", "Edwards",
            "Evans", "Fernandes", "Francis", "Green", "Grant", "Hall", "Harris", "Hughes", "Hussain", "Jackson", "James",
            "Johnson", "Jones", "Kaur", "Khan", "King", "Kowalski", "Lewis", "Martin", "Mensah", "Mohamed", "Morris",
            "Murphy", "Nowak", "O'Brien", "O'Connor", "Okafor", "Okoye", "Oliveira", "Owusu", "Patel", "Phillips", "Price",
            "Reid", "Roberts", "Robinson", "Santos", "Scott", "Shah", "Smith", "Taylor", "Thomas", "Thompson", "Turner",
            "Walker", "Ward", "White", "Williams", "Wilson", "Wood", "Wright", "Young", "Smith-Jones", "Lloyd-Davies");
    private static final List<String> GIVEN_FEMALE = List.of("Abena", "Aisha", "Amara", "Amelia", "Ana", "Chloe", "Chioma",
            "Emily", "Fatima", "Grace", "Hannah", "Isla", "Jade", "Joy", "Kemi", "Laura", "Maria", "Maya", "Nia", "Olivia",
            "Priya", "Rachel", "Sarah", "Sophie", "Yetunde", "Zara", "Zofia");
    private static final List<String> GIVEN_MALE = List.of("Adam", "Ben", "Chidi", "Daniel", "David", "Dev", "Femi", "George",
            "Hari", "Ibrahim", "Jamal", "James", "Jonah", "Kwame", "Leo", "Luis", "Marcus", "Mohammed", "Omar", "Paul",
            "Piotr", "Rhys", "Sam", "Tom", "Tunde", "Yusuf");
    private static final List<String> OUTWARD = List.of("SE11", "SE1", "SW2", "SW4", "SW8", "SW9", "SE5", "SE24", "SE27",
            "SW16", "SE21", "SW12");
    /** Letters a postcode's inward code uses (not C, I, K, M, O, V). */
    private static final String INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";
    /** Lambeth-like shares, per cent: White 55, Black 25, Asian 7, Mixed 7, other 4, not stated / not known 2. */
    private static final Map<String, Integer> ETHNIC_SHARES = shares(
            "A", 38, "B", 4, "C", 13, "M", 10, "N", 12, "P", 3, "H", 2, "J", 2, "K", 1, "L", 2,
            "D", 2, "E", 2, "F", 1, "G", 2, "R", 2, "S", 2, "Z", 1, "99", 1);
    /** The diagnoses practices code most, and how often; the rest of the ValueSet shares what is left. */
    private static final Map<String, Integer> COMMON_DIAGNOSES = shares(
            "58214004", 20, "64905009", 12, "13746004", 16, "371596008", 4, "83225003", 3, "69322001", 10,
            "191526005", 4, "68890003", 4, "83746006", 3);

    private final Random random;
    private final Set<String> nhsNumbers = new HashSet<>();
    private final List<String> allDiagnoses = SmiDiagnoses.get().codes().stream().sorted().toList();

    public SyntheticGpRegisters(long seed) {
        random = new Random(seed);
    }

    /** A fault planted in a file: the line it is on, the column, and what the parser must say (a fragment of it). */
    public record Fault(long line, String column, String kind) {}

    /** One practice's register file. */
    public record PracticeFile(String ods, String csv, List<Fault> faults) {

        public int rows() {
            return (int) csv.lines().count() - 1;
        }
    }

    /** The practices' files: {@code patients} rows spread unevenly over {@code practices} practices. */
    public List<PracticeFile> practices(int practices, int patients) {
        double[] weights = new double[practices];
        double total = 0;
        for (int i = 0; i < practices; i++) {
            weights[i] = 0.4 + random.nextDouble() * 1.2;
            total += weights[i];
        }
        List<PracticeFile> files = new ArrayList<>();
        int left = patients;
        for (int i = 0; i < practices; i++) {
            int size = i == practices - 1 ? left : Math.max(5, (int) Math.round(patients * weights[i] / total));
            size = Math.min(size, Math.max(left - (practices - 1 - i) * 5, 5));
            left -= size;
            files.add(practice(String.format("G85%03d", i + 1), size, i % FAULTY_PRACTICE_EVERY == FAULTY_PRACTICE_EVERY - 1));
        }
        return files;
    }

    private PracticeFile practice(String ods, int size, boolean faulty) {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        List<Fault> faults = new ArrayList<>();
        List<String> kinds = List.of("nhs_number", "date_of_birth", "register_date", "smi_diagnosis_code", "postcode", "given_name");
        for (int i = 0; i < size; i++) {
            List<String> row = row();
            long line = i + 2L;
            // Faulty practices: the first rows after the third carry one fault each, one of every kind.
            int faultIndex = i - 3;
            if (faulty && faultIndex >= 0 && faultIndex < kinds.size()) {
                String column = kinds.get(faultIndex);
                faults.add(new Fault(line, column, plant(row, column)));
            }
            csv.append(csvLine(row)).append('\n');
        }
        return new PracticeFile(ods, csv.toString(), List.copyOf(faults));
    }

    /** Breaks one value of the row the way practices' extracts do; returns the message fragment the parser gives. */
    private static String plant(List<String> row, String column) {
        int at = List.of(HEADER.split(",")).indexOf(column);
        switch (column) {
            case "nhs_number" -> {
                String good = row.get(at);
                row.set(at, good.substring(0, 9) + (char) ('0' + (good.charAt(9) - '0' + 1) % 10));
                return "modulus-11";
            }
            case "date_of_birth" -> {
                row.set(at, "1980-02-30");
                return "is not a real day";
            }
            case "register_date" -> {
                row.set(at, "2099-01-01");
                return "is in the future";
            }
            case "smi_diagnosis_code" -> {
                row.set(at, "35489007"); // depressive disorder: not on the SMI register
                return "SMI diagnosis ValueSet";
            }
            case "postcode" -> {
                row.set(at, row.get(at).substring(0, row.get(at).indexOf(' ')));
                return "is not a UK postcode";
            }
            default -> {
                row.set(at, "");
                return "is required";
            }
        }
    }

    /**
     * Writes a big register of {@code rows} valid rows for practice G85999, one row at a time (nothing held but the
     * NHS numbers used, to keep them unique).
     */
    public void writeBig(Path file, int rows) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writeBig(out, rows);
        }
    }

    void writeBig(Writer out, int rows) throws IOException {
        out.write(HEADER);
        out.write('\n');
        for (int i = 0; i < rows; i++) {
            out.write(csvLine(row()));
            out.write('\n');
        }
    }

    /** One valid row's values, in header order. */
    private List<String> row() {
        String sex = pick(List.of("female", "male"), "other", "unknown");
        String given = sex.equals("male") ? GIVEN_MALE.get(random.nextInt(GIVEN_MALE.size()))
                : GIVEN_FEMALE.get(random.nextInt(GIVEN_FEMALE.size()));
        LocalDate birth = LocalDate.of(1945, 1, 1).plusDays(random.nextInt(60 * 365));
        LocalDate adult = birth.plusYears(18);
        LocalDate diagnosed = adult.plusDays(random.nextInt((int) Math.max(1, AS_OF.toEpochDay() - adult.toEpochDay())));
        LocalDate registered = min(diagnosed.plusDays(random.nextInt(180)), AS_OF);
        boolean resolved = random.nextInt(100) < 8;
        String ethnic = random.nextInt(100) < 4 ? "" : weighted(ETHNIC_SHARES);
        String carePlan = random.nextInt(100) < 70 ? min(AS_OF.minusDays(random.nextInt(365)), AS_OF).toString() : "";
        String healthCheck = random.nextInt(100) < 60 ? AS_OF.minusDays(random.nextInt(365)).toString() : "";
        if (!carePlan.isEmpty() && LocalDate.parse(carePlan).isBefore(registered)) {
            carePlan = registered.toString();
        }
        if (!healthCheck.isEmpty() && LocalDate.parse(healthCheck).isBefore(registered)) {
            healthCheck = registered.toString();
        }
        String diagnosis = random.nextInt(100) < 81 ? weighted(COMMON_DIAGNOSES) : allDiagnoses.get(random.nextInt(allDiagnoses.size()));
        return new ArrayList<>(List.of(nhsNumber(), FAMILY.get(random.nextInt(FAMILY.size())), given, birth.toString(), sex,
                postcode(), diagnosis, diagnosed.toString(), resolved ? "resolved" : "active", registered.toString(), ethnic,
                carePlan, healthCheck));
    }

    /** Mostly the common values; one in 50 rows the rare one, one in 50 the other rare one. */
    private String pick(List<String> common, String rare, String rarer) {
        int roll = random.nextInt(100);
        return roll < 2 ? rare : roll < 4 ? rarer : common.get(random.nextInt(common.size()));
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

    private String weighted(Map<String, Integer> shares) {
        int total = shares.values().stream().mapToInt(Integer::intValue).sum();
        int roll = random.nextInt(total);
        for (Map.Entry<String, Integer> share : shares.entrySet()) {
            roll -= share.getValue();
            if (roll < 0) {
                return share.getKey();
            }
        }
        throw new IllegalStateException();
    }

    /** RFC 4180: a value with a comma, quote or line break is quoted, its quotes doubled. */
    static String csvLine(List<String> values) {
        List<String> cells = new ArrayList<>();
        for (String value : values) {
            cells.add(value.matches(".*[,\"\r\n].*") ? "\"" + value.replace("\"", "\"\"") + "\"" : value);
        }
        return String.join(",", cells);
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    private static Map<String, Integer> shares(Object... pairs) {
        Map<String, Integer> shares = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            shares.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return shares;
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of("target/gp-registers");
        long seed = 42;
        int practices = 48;
        int patients = 4000;
        int bigRows = 0;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--out" -> out = Path.of(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--practices" -> practices = Integer.parseInt(value);
                case "--patients" -> patients = Integer.parseInt(value);
                case "--big-rows" -> bigRows = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--out DIR, --seed N, --practices N, --patients N, --big-rows N)");
            }
        }
        Files.createDirectories(out);
        SyntheticGpRegisters registers = new SyntheticGpRegisters(seed);
        int faults = 0;
        for (PracticeFile file : registers.practices(practices, patients)) {
            Files.writeString(out.resolve(file.ods() + ".csv"), file.csv(), StandardCharsets.UTF_8);
            faults += file.faults().size();
        }
        System.out.printf("%d practice files, %d patients, %d planted faults in %s%n", practices, patients, faults, out.toAbsolutePath());
        if (bigRows > 0) {
            registers.writeBig(out.resolve("big.csv"), bigRows);
            System.out.printf("big.csv: %d rows%n", bigRows);
        }
    }
}
