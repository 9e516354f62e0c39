package io.corral.app;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What a handler answers when a plain JSON 200 is not enough: a status, headers, and a body that is JSON,
 * bytes, or a stream. Immutable apart from {@link #header}, which a handler calls before returning it.
 */
public final class Response {
    private final int status;
    private final String contentType;
    private final Object json;
    private final byte[] bytes;
    private final BodyWriter stream;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>(2);

    private Response(int status, String contentType, Object json, byte[] bytes, BodyWriter stream) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200..599, got " + status
                    + " (interim 1xx responses are the server's to send)");
        }
        this.status = status;
        this.contentType = contentType;
        this.json = json;
        this.bytes = bytes;
        this.stream = stream;
    }

    /** {@code status} with {@code body} written as JSON. */
    public static Response json(int status, Object body) {
        return body == null
                ? new Response(status, "application/json", null, "null".getBytes(StandardCharsets.UTF_8), null)
                : new Response(status, "application/json", body, null, null);
    }

    /** {@code status} with a UTF-8 text body. */
    public static Response text(int status, String body) {
        return new Response(status, "text/plain; charset=utf-8", null, body.getBytes(StandardCharsets.UTF_8), null);
    }

    /** {@code status} with the given bytes as the body. */
    public static Response bytes(int status, String contentType, byte[] body) {
        return new Response(status, contentType, null, body.clone(), null);
    }

    /** {@code status} with no body (204, 304, or a redirect with a {@code Location} header). */
    public static Response empty(int status) {
        return new Response(status, null, null, new byte[0], null);
    }

    /** 200 with a body streamed by {@code writer}, in chunks. */
    public static Response stream(String contentType, BodyWriter writer) {
        return new Response(200, contentType, null, null, writer);
    }

    /**
     * Adds a response header; returns this response. {@code Content-Length} and {@code Transfer-Encoding} are the
     * server's: it frames the body, and two framings would let a proxy and a client disagree on where it ends.
     */
    public Response header(String name, String value) {
        if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")) {
            throw new IllegalArgumentException(name + " is set by the server from the body");
        }
        headers.add(Map.entry(name, value));
        return this;
    }

    public int status() {
        return status;
    }

    /** The content type, or {@code null} for an empty body. */
    public String contentType() {
        return contentType;
    }

    /** The object to write as JSON, or {@code null} when the body is bytes or a stream. */
    public Object jsonBody() {
        return json;
    }

    /** The body bytes, or {@code null} when the body is JSON or a stream. */
    public byte[] bytesBody() {
        return bytes;
    }

    /** The body writer, or {@code null} when the body is not streamed. */
    public BodyWriter streamBody() {
        return stream;
    }

    public List<Map.Entry<String, String>> headers() {
        return Collections.unmodifiableList(headers);
    }
}
