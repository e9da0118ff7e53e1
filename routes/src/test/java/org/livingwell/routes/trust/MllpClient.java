package org.livingwell.routes.trust;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A minimal MLLP sender (one connection, one message at a time, waits for the acknowledgement):
 * what the load generator and the tests use to talk to the gateway as the trust's
 * EPR would.
 */
public class MllpClient implements Closeable {

    private static final int START_BLOCK = 0x0b;
    private static final int END_BLOCK = 0x1c;
    private static final int CARRIAGE_RETURN = 0x0d;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final Charset charset;

    public MllpClient(String host, int port, int timeoutMillis) throws IOException {
        this(host, port, timeoutMillis, StandardCharsets.ISO_8859_1);
    }

    public MllpClient(String host, int port, int timeoutMillis, Charset charset) throws IOException {
        this(connect(new Socket(), host, port, timeoutMillis), timeoutMillis, charset);
    }

    /** Over a socket the caller connected (from a chosen local address, or over TLS). */
    public MllpClient(Socket connected, int timeoutMillis, Charset charset) throws IOException {
        this.socket = connected;
        socket.setSoTimeout(timeoutMillis);
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
        this.charset = charset;
    }

    private static Socket connect(Socket socket, String host, int port, int timeoutMillis) throws IOException {
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        return socket;
    }

    /**
     * Sends one HL7 message (segments separated by \r; \n and \r\n are normalised) and returns the
     * acknowledgement, or null if the listener closed the connection without answering.
     */
    public String send(String message) throws IOException {
        String segments = message.strip().replace("\r\n", "\r").replace('\n', '\r');
        return sendRaw(segments.getBytes(charset));
    }

    /** Frames and sends the bytes as they are (for testing how the listener treats bad input). */
    public String sendRaw(byte[] payload) throws IOException {
        // One write per frame, as real senders do; byte-by-byte writes meet Nagle's algorithm.
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 3);
        frame.write(START_BLOCK);
        frame.writeBytes(payload);
        frame.write(END_BLOCK);
        frame.write(CARRIAGE_RETURN);
        out.write(frame.toByteArray());
        out.flush();
        return readFrame();
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    private String readFrame() throws IOException {
        ByteArrayOutputStream ack = new ByteArrayOutputStream();
        int previous = -1;
        try {
            for (int b = in.read(); b != -1; b = in.read()) {
                if (previous == END_BLOCK && b == CARRIAGE_RETURN) {
                    byte[] bytes = ack.toByteArray();
                    return new String(bytes, 0, bytes.length - 1, charset);
                }
                if (b != START_BLOCK || ack.size() > 0) {
                    ack.write(b);
                }
                previous = b;
            }
        } catch (SocketTimeoutException noAnswer) {
            throw new IOException("No acknowledgement within " + socket.getSoTimeout() + " ms", noAnswer);
        } catch (IOException reset) {
            socket.close();
            return null;
        }
        socket.close();
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
