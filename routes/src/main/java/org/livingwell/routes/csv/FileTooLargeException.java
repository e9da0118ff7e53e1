package org.livingwell.routes.csv;

/** The file is larger than the feed takes (e.g. {@code gateway.gp.max-file-size}); nothing of it is kept. */
public final class FileTooLargeException extends CsvFileException {

    public FileTooLargeException(long maxBytes) {
        super("the file is larger than the " + maxBytes + " bytes this gateway takes");
    }
}
