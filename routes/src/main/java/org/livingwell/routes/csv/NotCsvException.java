package org.livingwell.routes.csv;

/**
 * The file is not the feed's CSV at all: empty, not UTF-8 text, not CSV (an unterminated quote, binary content),
 * or a header naming none of the feed's columns.
 */
public final class NotCsvException extends CsvFileException {

    public NotCsvException(String message) {
        super(message);
    }

    public NotCsvException(String message, Throwable cause) {
        super(message, cause);
    }
}
