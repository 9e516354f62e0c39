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
