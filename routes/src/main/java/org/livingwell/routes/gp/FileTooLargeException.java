package org.livingwell.routes.gp;

/** The file is larger than the feed takes ({@code gateway.gp.max-file-size}); nothing of it is kept. */
public final class FileTooLargeException extends GpRegisterFileException {

    public FileTooLargeException(long maxBytes) {
        super("the file is larger than the " + maxBytes + " bytes this gateway takes");
    }
}
