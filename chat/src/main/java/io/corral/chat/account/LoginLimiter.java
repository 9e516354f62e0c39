package io.corral.chat.account;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins per key (an account, an address) in a sliding window: past {@code limit} failures within
 * {@code windowSeconds}, further attempts are refused until the oldest failure leaves the window. In memory, per
 * worker: with W workers an attacker gets at most W times the limit, which still turns an online guessing attack
 * from thousands of tries a second into a handful a minute.
 */
final class LoginLimiter {
    private final int limit;
    private final long windowNanos;
    private final Map<String, ArrayDeque<Long>> failures = new ConcurrentHashMap<>();

    LoginLimiter(int limit, long windowSeconds) {
        this.limit = limit;
        this.windowNanos = windowSeconds * 1_000_000_000L;
    }

    /** Seconds until {@code key} may try again, or 0 when it may now. */
    long retryAfterSeconds(String key) {
        ArrayDeque<Long> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        synchronized (times) {
            prune(times, System.nanoTime());
            if (times.size() < limit) {
                return 0;
            }
            return Math.max(1, (times.peekFirst() + windowNanos - System.nanoTime()) / 1_000_000_000L + 1);
        }
    }

    void failed(String key) {
        ArrayDeque<Long> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            long now = System.nanoTime();
            prune(times, now);
            times.addLast(now);
            while (times.size() > limit) {
                times.removeFirst();
            }
        }
    }

    void succeeded(String key) {
        failures.remove(key);
    }

    private void prune(ArrayDeque<Long> times, long now) {
        while (!times.isEmpty() && now - times.peekFirst() > windowNanos) {
            times.removeFirst();
        }
    }
}
