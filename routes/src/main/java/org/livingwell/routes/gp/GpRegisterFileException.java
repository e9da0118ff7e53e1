package org.livingwell.routes.gp;

/**
 * A register file refused as a whole: nothing in it is taken. The message says why, names no patient data, and
 * can be given to the sender as it is. Subclasses: {@link MissingColumnsException}, {@link NotCsvException}.
 */
public class GpRegisterFileException extends RuntimeException {

    public GpRegisterFileException(String message) {
        super(message);
    }

    public GpRegisterFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
