package io.corral.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The {@code Date} header value (RFC 9110 §5.6.7), formatted at most once a second and shared by every response:
 * formatting a date per request is a measurable cost on the hot path.
 */
final class HttpDate {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private record Cached(long epochSecond, String text) {
    }

    private static volatile Cached cached = new Cached(-1, "");

    private HttpDate() {
    }

    static String now() {
        long second = System.currentTimeMillis() / 1000;
        Cached current = cached;
        if (current.epochSecond() != second) {
            current = new Cached(second, format(second));
            cached = current;
        }
        return current.text();
    }

    static String format(long epochSecond) {
        // RFC_1123_DATE_TIME writes single-digit days as "5 Nov"; IMF-fixdate wants "05 Nov".
        String text = IMF_FIXDATE.format(Instant.ofEpochSecond(epochSecond));
        return text.charAt(6) == ' ' ? text.substring(0, 5) + "0" + text.substring(5) : text;
    }
}
