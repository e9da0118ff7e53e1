package org.livingwell.routes.trust.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.util.UUID;

/**
 * Reads pipe-encoded HL7 v2 text into HAPI's 2.5.1 model, whatever version the sender declares.
 *
 * <p>Build one and share it: the HAPI context behind it is expensive to create, and parsing is
 * thread-safe.
 */
public final class Hl7Parser {

    /** Every message is read into this version's structures, so mappers are written once. */
    public static final String CANONICAL_VERSION = "2.5.1";

    private final PipeParser parser;

    public Hl7Parser() {
        HapiContext context = new DefaultHapiContext(new CanonicalModelClassFactory(CANONICAL_VERSION));
        // HAPI's default rules reject messages for trivia (field lengths, stray characters in
        // numbers); the translators check what the shared record depends on instead.
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setValidating(false);
        // Versions newer than this HAPI release knows still read into the 2.5.1 structures.
        context.getParserConfiguration().setAllowUnknownVersions(true);
        // HAPI's default ID generator keeps a counter file in the working directory; ACK control
        // IDs only need to be unique, and MSH-10 holds 20 characters.
        context.getParserConfiguration().setIdGenerator(
                () -> UUID.randomUUID().toString().replace("-", "").substring(0, 20));
        parser = context.getPipeParser();
    }

    /**
     * Parses one message, tolerating LF or CRLF segment endings and a leading byte-order mark.
     *
     * @throws HL7Exception if the text is not a pipe-encoded HL7 v2 message
     */
    public Message parse(String text) throws HL7Exception {
        return parser.parse(normalise(text));
    }

    /** Encodes a message (an ACK, say) as pipe-delimited text. */
    public String encode(Message message) throws HL7Exception {
        return parser.encode(message);
    }

    /** The HAPI parser, for building messages (ACKs) that must encode the same way. */
    PipeParser pipeParser() {
        return parser;
    }

    /**
     * Reads just enough of a message that failed to parse to answer it: an MSH segment within a
     * placeholder message.
     *
     * @throws HL7Exception if not even the MSH can be read
     */
    Segment readHeaderOnly(String text) throws HL7Exception {
        return parser.getCriticalResponseData(normalise(text));
    }

    /** HL7 separates segments with CR only; file-based and hand-typed messages often use LF. */
    static String normalise(String text) {
        String withoutBom = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return withoutBom.replace("\r\n", "\r").replace('\n', '\r').strip();
    }
}
