package io.corral.config;

import java.util.Locale;
import java.util.function.Function;

/** The value types settings are made of. Each parser throws {@link IllegalArgumentException} naming the rule. */
final class Parsers {
    private Parsers() {
    }

    static Function<String, Integer> intBetween(int min, int max) {
        return raw -> {
            int value;
            try {
                value = Integer.parseInt(raw.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a whole number");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(max == Integer.MAX_VALUE
                        ? "must be ≥ " + min : "must be between " + min + " and " + max);
            }
            return value;
        };
    }

    /** Seconds, whole or fractional (Gunicorn's timeouts are numbers of seconds). */
    static Function<String, Double> secondsAtLeast(double min) {
        return raw -> {
            double value;
            try {
                value = Double.parseDouble(raw.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a number of seconds");
            }
            if (!(value >= min) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("must be a number of seconds ≥ " + min);
            }
            return value;
        };
    }

    static Function<String, Boolean> bool() {
        return raw -> switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }

    /** Any text; {@code allowEmpty} false refuses blank values. */
    static Function<String, String> text(boolean allowEmpty) {
        return raw -> {
            if (!allowEmpty && raw.isBlank()) {
                throw new IllegalArgumentException("must not be empty");
            }
            return raw.strip();
        };
    }

    /** An octal file-mode mask, as Gunicorn's --umask takes it: 0, 022, 0o027, 0x12 (a number in any base). */
    static Function<String, Integer> umask() {
        return raw -> {
            String value = raw.strip().toLowerCase(Locale.ROOT);
            try {
                int mask = value.startsWith("0x") ? Integer.parseInt(value.substring(2), 16)
                        : value.startsWith("0o") ? Integer.parseInt(value.substring(2), 8)
                        : value.startsWith("0") && value.length() > 1 ? Integer.parseInt(value.substring(1), 8)
                        : Integer.parseInt(value);
                if (mask >= 0 && mask <= 0777) {
                    return mask;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException("must be a file-mode mask from 0 to 0777, e.g. 022");
        };
    }

    /** {@code KEY=VALUE}, for --env. */
    static Function<String, String> keyValue() {
        return raw -> {
            int eq = raw.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("must be KEY=VALUE");
            }
            return raw;
        };
    }

    /** {@code HOST:PORT} ({@code [v6]:PORT} for an IPv6 address), unresolved: a name is looked up when used. */
    static Function<String, java.net.InetSocketAddress> hostPort() {
        return raw -> {
            String value = raw.strip();
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || colon == value.length() - 1) {
                throw new IllegalArgumentException("must be HOST:PORT");
            }
            String host = value.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be HOST:PORT, the port a number");
            }
            if (port < 1 || port > 65535 || host.isEmpty() || host.contains(":") && !value.startsWith("[")) {
                throw new IllegalArgumentException("must be HOST:PORT ([ADDRESS]:PORT for IPv6), port 1-65535");
            }
            return java.net.InetSocketAddress.createUnresolved(host, port);
        };
    }

    /** Dogstatsd tags, {@code key:value,tag}: no characters that would break a statsd datagram. */
    static Function<String, String> statsdTags() {
        return raw -> {
            String value = raw.strip();
            if (!value.matches("[A-Za-z0-9_.:/,\\-]*")) {
                throw new IllegalArgumentException("must be tags like env:prod,team:chat (letters, digits, "
                        + "_ . : / - separated by commas)");
            }
            return value;
        };
    }

    static Function<String, String> oneOf(String... choices) {
        return raw -> {
            String value = raw.strip().toLowerCase(Locale.ROOT);
            for (String choice : choices) {
                if (choice.equals(value)) {
                    return value;
                }
            }
            throw new IllegalArgumentException("must be one of " + String.join(", ", choices));
        };
    }
}
