package io.corral.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Thrown by a handler to answer with a given status. Rendered as {@code {"error": message, "status": status}};
 * the message goes to the client as written, so it must not carry secrets.
 */
public class HttpError extends RuntimeException {
    private final int status;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();

    public HttpError(int status, String message) {
        super(message, null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("HttpError status must be 4xx or 5xx, got " + status);
        }
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** Adds a response header ({@code Retry-After} to a 429, {@code WWW-Authenticate} to a 401); returns this. */
    public HttpError header(String name, String value) {
        headers.add(Map.entry(name, value));
        return this;
    }

    public List<Map.Entry<String, String>> headers() {
        return List.copyOf(headers);
    }
}
