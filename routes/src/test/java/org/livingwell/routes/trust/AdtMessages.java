package org.livingwell.routes.trust;

import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.store.Upsert;
import org.livingwell.routes.store.Upserts;
import org.livingwell.routes.trust.hl7.Hl7Fixtures;

/**
 * Synthetic ADT messages from a made-up trust (ODS code RV5) for translator tests: made-up people,
 * NHS numbers from the 999 test range, a made-up practice (Y99999).
 */
final class AdtMessages {

    static final String NHS_NUMBER = "9990000018";
    static final String OTHER_NHS_NUMBER = "9990000026";
    static final String PID = "PID|1||" + NHS_NUMBER + "^^^NHS^NH~RV5000001^^^RV5^MR||TESTPATIENT^ALEX^JO^^MX^^L||19850304|F|||"
            + "1 TEST STREET^FLAT 2^LONDON^GREATER LONDON^SE11 5AA^GBR^H||020 7946 0000^PRN^PH";
    static final String PD1 = "PD1|||TEST PRACTICE^^^^^^^^^Y99999";
    static final String VISIT = "V0001";

    /** The message structure each trigger has from v2.3.1 on (v2.2 and v2.3 senders leave MSH-9.3 out). */
    private static final Map<String, String> STRUCTURES = Map.ofEntries(
            Map.entry("A01", "ADT_A01"), Map.entry("A02", "ADT_A02"), Map.entry("A03", "ADT_A03"),
            Map.entry("A04", "ADT_A01"), Map.entry("A05", "ADT_A05"), Map.entry("A06", "ADT_A06"),
            Map.entry("A07", "ADT_A06"), Map.entry("A08", "ADT_A01"), Map.entry("A11", "ADT_A09"),
            Map.entry("A12", "ADT_A12"), Map.entry("A13", "ADT_A01"), Map.entry("A28", "ADT_A05"),
            Map.entry("A31", "ADT_A05"), Map.entry("A34", "ADT_A30"), Map.entry("A39", "ADT_A39"),
            Map.entry("A40", "ADT_A39"));

    private AdtMessages() {}

    static String msh(String trigger, String version, String controlId) {
        String type = "ADT^" + trigger + (version.equals("2.2") || version.equals("2.3") ? "" : "^" + STRUCTURES.get(trigger));
        return "MSH|^~\\&|TRUSTEPR|RV5|LWGATEWAY|LWNA|20240315093000||" + type + "|" + controlId + "|P|" + version;
    }

    static String evn(String trigger, String recorded) {
        return "EVN|" + trigger + "|" + recorded;
    }

    /** A message: MSH, EVN (recorded 2024-03-15 10:00), then the segments given, CR-separated. */
    static String message(String trigger, String version, String... segments) {
        return String.join("\r", msh(trigger, version, "C-" + trigger), evn(trigger, "20240315100000"), String.join("\r", segments));
    }

    /** A PV1 from field number/value pairs, e.g. {@code pv1(2, "I", 19, "V0001")}. */
    static String pv1(Object... fieldsAndValues) {
        Map<Integer, String> fields = new TreeMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            fields.put((Integer) fieldsAndValues[i], (String) fieldsAndValues[i + 1]);
        }
        StringBuilder segment = new StringBuilder("PV1");
        int last = fields.isEmpty() ? 1 : ((TreeMap<Integer, String>) fields).lastKey();
        for (int field = 1; field <= last; field++) {
            segment.append('|').append(fields.getOrDefault(field, field == 1 ? "1" : ""));
        }
        return segment.toString();
    }

    /** An inpatient visit V0001 on WARD1, room R2, bed B3, admitted 2024-03-15 09:30. */
    static String inpatientPv1() {
        return pv1(2, "I", 3, "WARD1^R2^B3", 7, "C1234567^TESTDOC^ANNE^^^DR", 17, "C7654321^ADMITDOC^BOB^^^DR",
                19, VISIT, 44, "20240315093000");
    }

    static RecordChange translate(String message) {
        return new AdtTranslator().translate(Hl7Fixtures.parse(message));
    }

    /** The change's first upsert of that type. */
    static <R extends Resource> Upsert<R> upsert(RecordChange change, Class<R> type) {
        return Upserts.upsert(change, type);
    }

    static Patient patient(RecordChange change) {
        return upsert(change, Patient.class).update().apply(java.util.Optional.empty());
    }

    /** The Encounter the message gives when applied to what is stored (null: nothing stored). */
    static Encounter encounter(RecordChange change, Encounter stored) {
        return upsert(change, Encounter.class).update().apply(java.util.Optional.ofNullable(stored).map(Encounter::copy));
    }
}
