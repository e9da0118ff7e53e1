package org.livingwell.routes.trust.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.Location;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.v251.message.ACK;
import ca.uhn.hl7v2.util.DeepCopy;
import ca.uhn.hl7v2.util.Terser;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the HL7 v2 ACK a sender gets back: accepted (AA), rejected (AR) or failed here (AE),
 * always with HAPI, and always something: a sender left without an answer would stall its queue.
 */
public final class Hl7Acknowledgements {

    /** A field as translators name it: {@code PID-3}, or a whole segment, {@code MRG}. */
    private static final Pattern FIELD = Pattern.compile("([A-Z][A-Z0-9]{2})(?:-(\\d+))?");

    private final Hl7Parser parser;

    public Hl7Acknowledgements(Hl7Parser parser) {
        this.parser = parser;
    }

    /** AA: we have taken responsibility for the message. */
    public String accept(Message message) {
        return answer(message, AcknowledgmentCode.AA, null);
    }

    /** AR: the message is unusable as sent (unsupported type, malformed); resending will not help. */
    public String reject(Message message, ErrorCode code, String reason) {
        return answer(message, AcknowledgmentCode.AR, new HL7Exception(reason, code));
    }

    /** AE: we failed to take the message (our fault, e.g. the queue is down); the sender should resend. */
    public String error(Message message, String reason) {
        return answer(message, AcknowledgmentCode.AE, new HL7Exception(reason, ErrorCode.APPLICATION_INTERNAL_ERROR));
    }

    /**
     * AE for content the record cannot take as sent (no valid NHS number, an impossible date, a missing
     * visit number): ERR-2 names the field ({@code PID^1^3}), ERR-3 the HL7 error code the translator
     * chose, ERR-8 the problem, so the sender's staff can correct and resend it.
     */
    public String contentError(Message message, Hl7TranslationException problem) {
        HL7Exception error = new HL7Exception(problem.getMessage(), problem.errorCode());
        Matcher field = FIELD.matcher(problem.field());
        if (field.matches()) {
            Location location = new Location().withSegmentName(field.group(1)).withSegmentRepetition(1);
            error.setLocation(field.group(2) == null ? location : location.withField(Integer.parseInt(field.group(2))));
        }
        try {
            Message ack = message.generateACK(AcknowledgmentCode.AE, error);
            new Terser(ack).set("/ERR-8", problem.problem());
            return parser.encode(ack);
        } catch (HL7Exception | IOException | RuntimeException unanswerable) {
            return answerFromOwnHeader(AcknowledgmentCode.AE, error, controlId(message));
        }
    }

    /** AR for text that did not parse as a whole message; see {@link #answerUnparsed}. */
    public String rejectUnparsed(String text, ErrorCode code, String reason) {
        return answerUnparsed(text, AcknowledgmentCode.AR, new HL7Exception(reason, code));
    }

    /** AE for text that did not parse as a whole message; see {@link #answerUnparsed}. */
    public String errorUnparsed(String text, String reason) {
        return answerUnparsed(
                text, AcknowledgmentCode.AE, new HL7Exception(reason, ErrorCode.APPLICATION_INTERNAL_ERROR));
    }

    private String answer(Message message, AcknowledgmentCode code, HL7Exception problem) {
        try {
            return parser.encode(message.generateACK(code, problem));
        } catch (HL7Exception | IOException | RuntimeException unanswerable) {
            // Some senders' MSH parses but defeats HAPI's ACK builder (MSH-2 with an escaped
            // backslash, say): answer from a header of our own, still naming their control ID.
            return answerFromOwnHeader(code, problem, controlId(message));
        }
    }

    /**
     * Answers from the message's MSH where that can be read, so MSA-2 names the sender's control
     * ID; otherwise from a header of our own with MSA-2 empty, which is all HL7 allows then.
     */
    private String answerUnparsed(String text, AcknowledgmentCode code, HL7Exception problem) {
        try {
            Segment header = parser.readHeaderOnly(text);
            Message placeholder = header.getMessage();
            DeepCopy.copy(header, (Segment) placeholder.get("MSH"));
            // HAPI gives the placeholder a default parser, whose ID generator writes a file.
            placeholder.setParser(parser.pipeParser());
            return parser.encode(placeholder.generateACK(code, problem));
        } catch (HL7Exception | IOException | RuntimeException noHeader) {
            return answerFromOwnHeader(code, problem, "");
        }
    }

    private String answerFromOwnHeader(AcknowledgmentCode code, HL7Exception problem, String controlId) {
        try {
            ACK ack = new ACK();
            ack.setParser(parser.pipeParser());
            ack.initQuickstart("ACK", null, "P");
            if (problem != null) {
                problem.populateResponse(ack, code, 0);
                // populateResponse leaves a bare header without ERR; the sender must still learn why.
                Terser terser = new Terser(ack);
                terser.set("/ERR-3-1", String.valueOf(problem.getError().getCode()));
                terser.set("/ERR-3-2", problem.getError().getMessage());
                terser.set("/ERR-3-3", "HL70357");
                terser.set("/ERR-4", "E");
                terser.set("/ERR-8", problem.getMessage());
            }
            ack.getMSA().getAcknowledgmentCode().setValue(code.name());
            ack.getMSA().getMessageControlID().setValue(controlId);
            return parser.encode(ack);
        } catch (HL7Exception | IOException e) {
            throw new IllegalStateException("Could not build an ACK even from our own header", e);
        }
    }

    private static String controlId(Message message) {
        try {
            String controlId = new Terser(message).get("/MSH-10");
            return controlId == null ? "" : controlId;
        } catch (HL7Exception | RuntimeException unreadable) {
            return "";
        }
    }
}
