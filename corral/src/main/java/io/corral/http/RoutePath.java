package io.corral.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * A request path split into decoded segments. Splitting happens before percent-decoding, so {@code %2F} inside a
 * segment stays part of that segment and never creates a new one.
 */
record RoutePath(String decoded, List<String> segments) {

    /** Parses the path of a request target (origin-form or absolute-form); throws IllegalArgumentException. */
    static RoutePath of(String target) {
        String path = target;
        int scheme = path.indexOf("://");
        if (scheme > 0 && !path.startsWith("/")) {
            int slash = path.indexOf('/', scheme + 3);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        int fragment = path.indexOf('#');
        if (fragment >= 0) {
            path = path.substring(0, fragment);
        }
        var segments = new ArrayList<String>();
        var decoded = new StringBuilder(path.length());
        for (String raw : path.substring(path.startsWith("/") ? 1 : 0).split("/", -1)) {
            String segment = QueryStringDecoder.decodeComponent(raw.replace("+", "%2B"));
            segments.add(segment);
            decoded.append('/').append(segment);
        }
        return new RoutePath(decoded.toString(), List.copyOf(segments));
    }
}
