package io.corral.chat.limit;

import io.corral.app.HttpError;

/** The answer of every limit: 429 with {@code Retry-After} (a WebSocket send turns it into {@code rate_limited}). */
public final class TooMany {
    private TooMany() {
    }

    /** Throws 429 with {@code message} when {@code retryAfterSeconds} is above 0. */
    public static void refuseIf(long retryAfterSeconds, String message) {
        if (retryAfterSeconds > 0) {
            throw new HttpError(429, message).header("Retry-After", Long.toString(retryAfterSeconds));
        }
    }
}
