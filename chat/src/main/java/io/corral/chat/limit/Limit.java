package io.corral.chat.limit;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * At most {@code count} actions in any {@code window} (a sliding window), written {@code 30/10s}, {@code 5/1m},
 * {@code 20/1h}; {@code off} for none.
 */
public record Limit(int count, Duration window) {
    public static final Limit OFF = new Limit(Integer.MAX_VALUE, Duration.ZERO);
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})/(\\d{1,6})([smhd])");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smhd])");

    public Limit {
        if (count < 1) {
            throw new IllegalArgumentException("a limit allows at least 1");
        }
    }

    public boolean isOff() {
        return window.isZero();
    }

    public static Limit parse(String text) {
        String value = text.strip();
        if (value.equals("off")) {
            return OFF;
        }
        Matcher m = FORM.matcher(value);
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Long.parseLong(m.group(2)) < 1) {
            throw new IllegalArgumentException("'" + text + "' is not a limit like 30/10s, 5/1m, 20/1h or off");
        }
        return new Limit(Integer.parseInt(m.group(1)), duration(m.group(2) + m.group(3)));
    }

    /** {@code 10s}, {@code 5m}, {@code 1h}, {@code 30d}: the form of a limit's window, for other durations too. */
    public static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches() || Long.parseLong(m.group(1)) < 1) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 10s, 5m, 1h or 30d");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /**
     * Seconds until one more action is allowed, given when the {@code count}-th most recent action was (epoch
     * millis; {@code null} when there have been fewer): 0 when allowed now. The decision of every limit, apart
     * from where the times are kept.
     */
    public long retryAfterSeconds(Long countThNewestMillis, long nowMillis) {
        if (isOff() || countThNewestMillis == null) {
            return 0;
        }
        long freeAt = countThNewestMillis + window.toMillis();
        return freeAt <= nowMillis ? 0 : Math.max(1, (freeAt - nowMillis + 999) / 1000);
    }

    @Override
    public String toString() {
        return isOff() ? "off" : count + "/" + window.toSeconds() + "s";
    }
}
