package org.livingwell.routes.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Keeps a file a feed received on disk before anything else happens to it: what is kept survives a crash. */
public final class ReceivedFiles {

    private ReceivedFiles() {}

    /**
     * Copies the body to a new file (its directory is created), streaming, at most {@code maxBytes}, and forces it to
     * disk.
     *
     * @throws FileTooLargeException if the body is longer; nothing of it is kept
     */
    public static void keep(InputStream body, Path file, long maxBytes) throws IOException {
        Files.createDirectories(file.getParent());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(channel);
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int read; (read = body.read(buffer)) != -1; ) {
                total += read;
                if (total > maxBytes) {
                    channel.close();
                    Files.deleteIfExists(file);
                    throw new FileTooLargeException(maxBytes);
                }
                out.write(buffer, 0, read);
            }
            channel.force(true);
        }
    }
}
