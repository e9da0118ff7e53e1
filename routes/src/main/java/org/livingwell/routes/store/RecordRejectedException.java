package org.livingwell.routes.store;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.livingwell.routes.errors.DeadLetterQueue;
import org.livingwell.routes.errors.UnusableContentException;

/**
 * The store refused a transaction because of its content; sending it again will not help.
 *
 * <p>May carry the FHIR OperationOutcome saying what is wrong, element by element, for the person who fixes
 * the message. The message and the OperationOutcome can quote patient data: log them at DEBUG only.
 */
public class RecordRejectedException extends UnusableContentException {

    private final OperationOutcome operationOutcome;

    public RecordRejectedException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /** A refusal explained by an OperationOutcome, e.g. from profile validation. */
    public RecordRejectedException(String message, OperationOutcome operationOutcome) {
        this(message, null, operationOutcome);
    }

    public RecordRejectedException(String message, Throwable cause, OperationOutcome operationOutcome) {
        super(message, cause);
        this.operationOutcome = operationOutcome;
    }

    @Override
    public String whatWentWrong() {
        return "the shared record rejected it";
    }

    @Override
    public String loggableSummary() {
        return operationOutcome == null ? "the shared record rejected it"
                : "the shared record rejected it, " + operationOutcome.getIssue().size()
                        + " issue(s) in header " + DeadLetterQueue.OPERATION_OUTCOME_HEADER;
    }

    /** What is wrong with the transaction, issue by issue, or null if the store did not say. */
    public OperationOutcome operationOutcome() {
        return operationOutcome;
    }

    /**
     * Sorts a FHIR server's error answer: a refusal of the content (400, 404, 410, 422) becomes a
     * {@code RecordRejectedException}, keeping the server's OperationOutcome if it sent an R4 one;
     * a 409 or 412 (a version race, two creates of one identifier) becomes a {@link RecordConflictException}; anything
     * else (a 5xx) is returned as it is, to be retried.
     */
    public static RuntimeException sort(BaseServerResponseException error) {
        return switch (error.getStatusCode()) {
            // 412 is what FHIR prescribes for a stale If-Match version; HAPI answers 409.
            case 409, 412 -> new RecordConflictException(
                    "The record changed meanwhile (HTTP " + error.getStatusCode() + "): " + error.getMessage(), error);
            case 400, 404, 410, 422 -> new RecordRejectedException(
                    "The record store refused the transaction (HTTP " + error.getStatusCode() + "): "
                            + error.getMessage(),
                    error,
                    error.getOperationOutcome() instanceof OperationOutcome outcome ? outcome : null);
            default -> error;
        };
    }
}
