package io.corral.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A WebSocket client that writes frames bit by bit, so tests can send what real clients never would (unmasked
 * frames, reserved bits, unknown opcodes, fragmented pings, invalid UTF-8) and read exactly what the server sends.
 */
public final class RawWebSocket implements AutoCloseable {
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    /** One frame as received; {@code rsv1} marks a compressed message (permessage-deflate). */
    public record Frame(boolean fin, boolean rsv1, int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame (1005 when it has none). */
        public int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int status;
    private final Map<String, String> headers;

    private RawWebSocket(Socket socket, DataInputStream in, int status, Map<String, String> headers)
            throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.status = status;
        this.headers = headers;
    }

    /** Sends an upgrade request for {@code path} with {@code extra} headers and reads the response head. */
    public static RawWebSocket connect(int port, String path, Map<String, String> extra) throws IOException {
        var socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        var fields = new LinkedHashMap<String, String>();
        fields.put("Host", "127.0.0.1:" + port);
        fields.put("Upgrade", "websocket");
        fields.put("Connection", "Upgrade");
        fields.put("Sec-WebSocket-Version", "13");
        fields.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(key));
        fields.putAll(extra);  // a test may replace any of the above
        var request = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
        fields.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        var in = new DataInputStream(socket.getInputStream());
        String statusLine = readLine(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        var headers = new LinkedHashMap<String, String>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return new RawWebSocket(socket, in, status, headers);
    }

    public static RawWebSocket connect(int port, String path) throws IOException {
        return connect(port, path, Map.of());
    }

    private static String readLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b == -1) {
                throw new EOFException("connection closed in the response head");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    public int status() {
        return status;
    }

    /** A response header, by lower-case name, or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /** Writes one frame exactly as described. */
    public void send(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) throws IOException {
        var frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            frame.write(maskBit | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xFF);
            }
        }
        byte[] body = payload.clone();
        if (masked) {
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            frame.write(mask);
            for (int i = 0; i < body.length; i++) {
                body[i] ^= mask[i % 4];
            }
        }
        frame.write(body);
        out.write(frame.toByteArray());
        out.flush();
    }

    public void send(int opcode, byte[] payload) throws IOException {
        send(true, 0, opcode, payload, true);
    }

    public void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A close frame with {@code code} and no reason. */
    public void sendClose(int code) throws IOException {
        send(CLOSE, new byte[] {(byte) (code >>> 8), (byte) code});
    }

    /** The next frame, waiting up to 10 s. */
    public Frame read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] mask = null;
        if ((b1 & 0x80) != 0) {
            mask = new byte[4];
            in.readFully(mask);
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        if (mask != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
        }
        return new Frame((b0 & 0x80) != 0, (b0 & 0x40) != 0, b0 & 0x0F, payload);
    }

    /** Reads until a close frame and returns its code; skips data and ping frames on the way. */
    public int awaitCloseCode() throws IOException {
        while (true) {
            Frame frame = read();
            if (frame.opcode() == CLOSE) {
                return frame.closeCode();
            }
        }
    }

    /** Whether the server has closed the TCP connection (reads to the end, up to 10 s). */
    public boolean serverClosedConnection() throws IOException {
        try {
            while (in.read() != -1) {
                // drain what is left
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;  // reset: closed too
        }
    }

    /** permessage-deflate (RFC 7692 §7.2.1): raw deflate, sync flush, without the final 00 00 ff ff. */
    public static byte[] deflate(byte[] data) {
        var deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        var out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
            out.write(buffer, 0, n);
        }
        deflater.end();
        byte[] all = out.toByteArray();
        return java.util.Arrays.copyOf(all, all.length - 4);
    }

    public static byte[] inflate(byte[] payload) throws DataFormatException {
        var inflater = new Inflater(true);
        byte[] input = java.util.Arrays.copyOf(payload, payload.length + 4);
        input[payload.length + 2] = (byte) 0xFF;
        input[payload.length + 3] = (byte) 0xFF;
        inflater.setInput(input);
        var out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = inflater.inflate(buffer)) > 0) {
            out.write(buffer, 0, n);
        }
        inflater.end();
        return out.toByteArray();
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
