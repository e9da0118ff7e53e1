package org.livingwell.routes.store;

/**
 * Someone else changed the same data at the same moment (a stale version, two creates of one identifier):
 * reading again and re-applying will succeed. {@link RecordWriter} does that a few times by itself.
 */
public class RecordConflictException extends RuntimeException {

    public RecordConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
