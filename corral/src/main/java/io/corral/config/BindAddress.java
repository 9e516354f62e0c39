package io.corral.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/** One {@code --bind} value: a TCP host and port, or a Unix-domain socket path. */
public sealed interface BindAddress {

    record Tcp(String host, int port) implements BindAddress {
        public InetSocketAddress socketAddress() {
            return new InetSocketAddress(host, port);
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    record Unix(Path path) implements BindAddress {
        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    /** Parses {@code HOST:PORT}, {@code [IPv6]:PORT} or {@code unix:PATH}. */
    static BindAddress parse(String raw) {
        String value = raw.strip();
        if (value.startsWith("unix:")) {
            String path = value.substring("unix:".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("unix: needs a socket path, e.g. unix:/run/corral.sock");
            }
            return new Unix(Path.of(path));
        }
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("must be HOST:PORT, [IPv6]:PORT or unix:PATH");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("an IPv6 host goes in brackets: [::1]:8000");
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("needs a host before the port, e.g. 127.0.0.1:8000 or 0.0.0.0:8000");
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port must be a number from 0 to 65535");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be a number from 0 to 65535");
        }
        return new Tcp(host, port);
    }
}
