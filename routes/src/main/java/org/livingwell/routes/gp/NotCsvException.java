package org.livingwell.routes.gp;

/**
 * The file is not a register CSV at all: empty, not UTF-8 text, not CSV (an unterminated quote, binary content),
 * or a header naming none of the register's columns.
 */
public final class NotCsvException extends GpRegisterFileException {

    public NotCsvException(String message) {
        super(message);
    }

    public NotCsvException(String message, Throwable cause) {
        super(message, cause);
    }
}
