package io.corral.http;

/**
 * The minimum data rate of a request body ({@code --min-body-rate}, Kestrel's {@code MinRequestBodyDataRate}): once a
 * body has had {@link #GRACE_NANOS}, the bytes received must average at least {@code bytesPerSecond} since its head
 * arrived. A per-read timeout cannot stop a client that sends one byte every few seconds; an average can, and an
 * honest slow upload (a phone on a bad network) stays far above it. Pure arithmetic on a clock reading, so the rule
 * is tested without a socket.
 */
record BodyRate(int bytesPerSecond) {
    /** How long a body may take before its average counts: TCP slow start, a client still preparing its upload. */
    static final long GRACE_NANOS = 5_000_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    boolean enabled() {
        return bytesPerSecond > 0;
    }

    /**
     * The instant ({@link System#nanoTime()} scale) at which a body that started at {@code startNanos} and has
     * {@code bytes} so far falls below the rate, if no more bytes come: {@code bytes} cover
     * {@code bytes / bytesPerSecond} seconds, and the grace covers the first five.
     */
    long deadline(long startNanos, long bytes) {
        double covered = (double) bytes * NANOS_PER_SECOND / bytesPerSecond;
        long coveredNanos = covered >= Long.MAX_VALUE / 2.0 ? Long.MAX_VALUE / 2 : (long) covered;
        return startNanos + Math.max(GRACE_NANOS, coveredNanos);
    }
}
