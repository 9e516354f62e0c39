package io.corral.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One response as read off the wire by {@link RawClient}; header names lower-cased. */
public record RawResponse(int status, Map<String, List<String>> headers, byte[] body, boolean chunked) {

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null ? null : values.getFirst();
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
