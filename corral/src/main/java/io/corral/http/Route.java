package io.corral.http;

import io.corral.app.Handler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One declared route: a method and a pattern of literal and {@code {name}} segments, or a prefix under which every
 * path matches (static files). Immutable after {@link RouteTable} builds it.
 */
record Route(String method, String pattern, List<String> literals, List<String> params, boolean prefix,
             Handler handler) {

    static Route exact(String method, String pattern, Handler handler) {
        return parse(method, pattern, false, handler);
    }

    static Route prefix(String method, String pattern, Handler handler) {
        return parse(method, pattern, true, handler);
    }

    private static Route parse(String method, String pattern, boolean prefix, Handler handler) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("route path must start with '/': " + pattern);
        }
        var literals = new ArrayList<String>();
        var params = new ArrayList<String>();
        String body = pattern.substring(1);
        if (prefix && body.endsWith("/")) {
            body = body.substring(0, body.length() - 1);
        }
        if (!(prefix && body.isEmpty())) {
            for (String segment : body.split("/", -1)) {
                boolean param = segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
                literals.add(param ? null : segment);
                params.add(param ? segment.substring(1, segment.length() - 1) : null);
            }
        }
        return new Route(method, pattern, literals, params, prefix, handler);
    }

    /** The path parameters if {@code path} matches, or {@code null}; a prefix route's rest is under {@code "*"}. */
    Map<String, String> match(RoutePath path) {
        List<String> segments = path.segments();
        int n = literals.size();
        if (prefix ? segments.size() < n : segments.size() != n) {
            return null;
        }
        Map<String, String> values = params.stream().allMatch(p -> p == null) ? Map.of() : new HashMap<>();
        for (int i = 0; i < n; i++) {
            String literal = literals.get(i);
            if (literal == null) {
                values.put(params.get(i), segments.get(i));
            } else if (!literal.equals(segments.get(i))) {
                return null;
            }
        }
        if (prefix) {
            values = new HashMap<>(values);
            values.put("*", String.join("/", segments.subList(n, segments.size())));
        }
        return values;
    }
}
