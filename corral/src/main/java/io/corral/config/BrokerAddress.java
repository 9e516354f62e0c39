package io.corral.config;

import java.net.URI;

/** Where the broker runs: through the master ({@code local}) or on a Redis server. */
public sealed interface BrokerAddress {

    record Local() implements BrokerAddress {
        @Override
        public String toString() {
            return "local";
        }
    }

    /** A {@code redis://[user:password@]host[:port][/db]} URL, as Lettuce takes it. */
    record Redis(URI uri) implements BrokerAddress {
        @Override
        public String toString() {
            return uri.toString();
        }

        /** The URL without its password, for log lines. */
        public String redacted() {
            return uri.getScheme() + "://" + uri.getHost() + ":" + (uri.getPort() == -1 ? 6379 : uri.getPort())
                    + (uri.getPath() == null ? "" : uri.getPath());
        }
    }

    static BrokerAddress parse(String raw) {
        String value = raw.strip();
        if (value.equals("local")) {
            return new Local();
        }
        try {
            URI uri = new URI(value);
            if (("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) && uri.getHost() != null) {
                return new Redis(uri);
            }
        } catch (java.net.URISyntaxException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("must be 'local' or a URL like redis://127.0.0.1:6379/0");
    }
}
