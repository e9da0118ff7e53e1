package org.livingwell.routes.store;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;

/** The store refused a transaction because of its content; sending it again will not help. */
public class RecordRejectedException extends RuntimeException {

    public RecordRejectedException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Sorts a FHIR server's error answer: a refusal of the content (400, 404, 410, 412, 422) becomes a
     * {@code RecordRejectedException}; anything else (a 409 version race, a 5xx) is returned as it
     * is, to be retried.
     */
    public static RuntimeException sort(BaseServerResponseException error) {
        return switch (error.getStatusCode()) {
            case 400, 404, 410, 412, 422 -> new RecordRejectedException(
                    "The record store refused the transaction (HTTP " + error.getStatusCode() + "): "
                            + error.getMessage(), error);
            default -> error;
        };
    }
}
