package org.livingwell.routes.trust.hl7;

import org.livingwell.routes.errors.UnusableContentException;

/**
 * An HL7 v2 message cannot be turned into FHIR as it stands (no valid NHS number, unsupported
 * type, malformed date...). Retrying will not help; the message needs a person.
 *
 * <p>The message names the field, e.g. "PID-3: no NHS number ...", and may quote field values, so
 * log it at DEBUG only; {@link #field()} is safe to log at any level.
 */
public class Hl7TranslationException extends UnusableContentException {

    private final String field;

    /**
     * @param field the segment and field at fault, e.g. {@code PID-7}, or {@code MSH-9} for the type
     * @param problem what is wrong, without the field name
     */
    public Hl7TranslationException(String field, String problem) {
        this(field, problem, null);
    }

    public Hl7TranslationException(String field, String problem, Throwable cause) {
        super(field + ": " + problem, cause);
        this.field = field;
    }

    @Override
    public String whatWentWrong() {
        return "translation to FHIR failed";
    }

    @Override
    public String loggableSummary() {
        return "translation failed at " + field;
    }

    /** The segment and field at fault, e.g. {@code PID-3}. */
    public String field() {
        return field;
    }
}
