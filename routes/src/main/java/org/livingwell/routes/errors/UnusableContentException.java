package org.livingwell.routes.errors;

/**
 * A message whose content cannot become (part of) the shared record as it stands: retrying will not
 * help, a person must look at it. {@link FeedErrorHandling} sends such messages to the
 * {@link DeadLetterQueue} instead of retrying them.
 *
 * <p>{@link #getMessage()} may quote patient data (log it at DEBUG only); {@link #loggableSummary()} may not.
 */
public abstract class UnusableContentException extends RuntimeException {

    protected UnusableContentException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The stage that gave up, for the dead-letter reason: "translation to FHIR failed". */
    public abstract String whatWentWrong();

    /** What went wrong without any patient data, safe to log at WARN: "translation failed at PID-3". */
    public abstract String loggableSummary();
}
