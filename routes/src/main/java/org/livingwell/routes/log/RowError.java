package org.livingwell.routes.log;

import java.util.Objects;

/**
 * One thing wrong with one value of a register file.
 *
 * @param line the line of the file the value is on, counted as in the file: the header is line 1, and a quoted
 *     value containing line breaks moves the following values (and rows) down
 * @param column the column's header name, e.g. {@code date_of_birth}
 * @param value the value as sent (may be empty). It is patient data: never log it above DEBUG
 * @param message what is wrong, e.g. {@code is not a real day}; names no patient data
 */
public record RowError(long line, String column, String value, String message) {

    public RowError {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(message, "message");
        value = value == null ? "" : value;
    }

    /** The error without its value, for logs and operators: {@code line 12, date_of_birth: is not a real day}. */
    public String withoutValue() {
        return "line " + line + ", " + column + ": " + message;
    }

    /** Without the value, like {@link #withoutValue()}: a RowError printed by accident leaks no patient data. */
    @Override
    public String toString() {
        return withoutValue();
    }
}
