package org.livingwell.routes.trust.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.segment.PID;

/** Synthetic HL7 v2 messages for tests: made-up people, NHS numbers from the 999 test range. */
public final class Hl7Fixtures {

    public static final Hl7Parser PARSER = new Hl7Parser();

    /** A valid test-range NHS number. */
    public static final String NHS_NUMBER = "9990000018";

    private Hl7Fixtures() {}

    /** An MSH for the trust EPR, in the given type, control ID and version. */
    public static String msh(String type, String controlId, String version) {
        return "MSH|^~\\&|TRUSTEPR|RJ1|LWGATEWAY|LWNA|20240315093000||" + type + "|" + controlId + "|P|" + version;
    }

    /** An A04 for one synthetic patient with the given PID-3. */
    public static String adtA04(String controlId, String pid3) {
        return String.join("\r",
                msh("ADT^A04^ADT_A01", controlId, "2.5.1"),
                "EVN|A04|20240315093000",
                "PID|1||" + pid3 + "||TESTPATIENT^ALEX^JO^^MX^^L||19850304|F|||"
                        + "1 TEST STREET^FLAT 2^LONDON^GREATER LONDON^SE11 5AA^GBR^H||020 7946 0000^PRN^PH",
                "PV1|1|O");
    }

    /** An A04 for one synthetic patient with a valid NHS number and trust MRN. */
    public static String adtA04(String controlId) {
        return adtA04(controlId, NHS_NUMBER + "^^^NHS^NH~RJ1000001^^^RJ1^MR");
    }

    /** The PID of a message whose PID segment is given in full ("PID|1||..."). */
    public static PID pid(String pidSegment) {
        return (PID) segment(parse(msh("ADT^A04^ADT_A01", "T1", "2.5.1") + "\r" + pidSegment), "PID");
    }

    public static Message parse(String text) {
        try {
            return PARSER.parse(text);
        } catch (HL7Exception e) {
            throw new IllegalArgumentException("Test message does not parse: " + e.getMessage(), e);
        }
    }

    private static Object segment(Message message, String name) {
        try {
            return message.get(name);
        } catch (HL7Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The named segment of an ACK, e.g. "MSA|AA|C1", or null. */
    public static String segment(String ack, String name) {
        if (ack == null) {
            return null;
        }
        for (String segment : ack.split("\r")) {
            if (segment.startsWith(name + "|")) {
                return segment;
            }
        }
        return null;
    }
}
