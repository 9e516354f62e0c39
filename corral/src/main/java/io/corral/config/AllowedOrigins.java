package io.corral.config;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Which web pages may open a WebSocket (the defence against cross-site WebSocket hijacking: a browser sends
 * cookies and an {@code Origin} with every upgrade, so the server must refuse pages of other sites). A request
 * without {@code Origin} comes from a non-browser client and passes: those can forge any header anyway.
 *
 * @param any     {@code *}: every origin passes
 * @param origins explicit origins, normalized ({@code https://chat.example.com:8443}); empty with {@code any} false
 *                means the request's own host only
 */
public record AllowedOrigins(boolean any, List<String> origins) {

    public AllowedOrigins {
        origins = List.copyOf(origins);
    }

    static AllowedOrigins parse(String raw) {
        String value = raw.strip();
        if (value.equals("*")) {
            return new AllowedOrigins(true, List.of());
        }
        if (value.isEmpty()) {
            return new AllowedOrigins(false, List.of());
        }
        var origins = new java.util.ArrayList<String>();
        for (String part : value.split(",")) {
            String origin = normalize(part.strip());
            if (origin == null) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not an origin like https://host[:port]");
            }
            origins.add(origin);
        }
        return new AllowedOrigins(false, origins);
    }

    /**
     * Whether a page of {@code origin} may connect to a server reached as {@code scheme://host} (the request's scheme
     * and Host header). With no list, the origin must be the request's own: same scheme, host and port (a Host
     * without a port means the scheme's default), as a browser's same-origin rule has it, so a page served by
     * another port of the same machine is a foreign site. Behind a proxy, the proxy must pass the client's Host
     * ({@code proxy_set_header Host $http_host}) and {@code X-Forwarded-Proto}, or the origins must be listed.
     */
    public boolean allows(String origin, String scheme, String host) {
        if (any || origin == null) {
            return true;
        }
        String normal = normalize(origin);
        if (normal == null) {
            return false;
        }
        if (!origins.isEmpty()) {
            return origins.contains(normal);
        }
        return host != null && normal.equals(normalize(scheme + "://" + host.strip()));
    }

    private static String normalize(String origin) {
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme == null || uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty())) {
                return null;
            }
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80)
                    || (scheme.equals("https") && port == 443);
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return any ? "*" : String.join(",", origins);
    }
}
