package io.corral.app;

/**
 * Thrown by a handler to answer with a given status. Rendered as {@code {"error": message, "status": status}};
 * the message goes to the client as written, so it must not carry secrets.
 */
public class HttpError extends RuntimeException {
    private final int status;

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
}
