package org.livingwell.routes.trust.hl7;

import ca.uhn.hl7v2.ErrorCode;
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
    private final ErrorCode errorCode;
    private final String problem;

    /**
     * A value that is there but unusable (HL7 error 102, data type error).
     *
     * @param field the segment and field at fault, e.g. {@code PID-7}, or {@code MSH-9} for the type
     * @param problem what is wrong, without the field name
     */
    public Hl7TranslationException(String field, String problem) {
        this(field, ErrorCode.DATA_TYPE_ERROR, problem, null);
    }

    public Hl7TranslationException(String field, String problem, Throwable cause) {
        this(field, ErrorCode.DATA_TYPE_ERROR, problem, cause);
    }

    /**
     * @param errorCode the HL7 table 0357 code the AE answer carries in ERR-3, e.g.
     *     {@link ErrorCode#REQUIRED_FIELD_MISSING} (101)
     */
    public Hl7TranslationException(String field, ErrorCode errorCode, String problem) {
        this(field, errorCode, problem, null);
    }

    private Hl7TranslationException(String field, ErrorCode errorCode, String problem, Throwable cause) {
        super(field + ": " + problem, cause);
        this.field = field;
        this.errorCode = errorCode;
        this.problem = problem;
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

    /** The HL7 error code (table 0357) for the ERR segment of the answer. */
    public ErrorCode errorCode() {
        return errorCode;
    }

    /** What is wrong, without the field name; may quote patient data. */
    public String problem() {
        return problem;
    }
}
