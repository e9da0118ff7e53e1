package org.livingwell.routes.mllp;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A minimal MLLP sender (one connection, one message at a time, waits for the acknowledgement):
 * what the demo loader, the load generator and the tests use to talk to the gateway as the trust's
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
        this.socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
        this.charset = charset;
    }

    /** Sends one HL7 message (segments separated by \r; \n and \r\n are normalised) and returns the ACK. */
    public String send(String message) throws IOException {
        String segments = message.strip().replace("\r\n", "\r").replace('\n', '\r');
        return sendRaw(segments.getBytes(charset));
    }

    /** Frames and sends the bytes as they are (for testing how the listener treats bad input). */
    public String sendRaw(byte[] payload) throws IOException {
        out.write(START_BLOCK);
        out.write(payload);
        out.write(END_BLOCK);
        out.write(CARRIAGE_RETURN);
        out.flush();
        return readFrame();
    }

    private String readFrame() throws IOException {
        int b = in.read();
        while (b != START_BLOCK) {
            if (b == -1) {
                throw new IOException("Connection closed before an acknowledgement arrived");
            }
            b = in.read();
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        while ((b = in.read()) != END_BLOCK) {
            if (b == -1) {
                throw new IOException("Connection closed inside an acknowledgement frame");
            }
            frame.write(b);
        }
        in.read(); // the trailing carriage return
        return frame.toString(charset);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
