package org.livingwell.routes.csv;

import org.livingwell.routes.log.RowError;

/**
 * A file refused as a whole: nothing in it is taken. The message says why, names no patient data, and
 * can be given to the sender as it is. Subclasses: {@link MissingColumnsException}, {@link NotCsvException}, {@link FileTooLargeException}.
 */
public class CsvFileException extends RuntimeException {

    public CsvFileException(String message) {
        super(message);
    }

    public CsvFileException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The refusal as row errors for the sender's report: here one, on the file as a whole. */
    public java.util.List<RowError> errors() {
        return java.util.List.of(new RowError(1, "file", "", getMessage()));
    }
}
