package io.corral.chat.web;

import io.corral.app.Handler;
import io.corral.app.HttpError;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a request gets when the database fails under it: 503 with a JSON reason, a warning in the log (at most one
 * every 10 s, with the count since), and a worker that goes on serving; when the database is back, the next
 * request simply works (the pool reconnects).
 */
final class DatabaseFailures {
    private static final Logger log = LoggerFactory.getLogger(DatabaseFailures.class);
    private static final long WARN_INTERVAL_NANOS = 10_000_000_000L;
    private static final AtomicLong failures = new AtomicLong();
    private static volatile long lastWarning = System.nanoTime() - WARN_INTERVAL_NANOS;

    private DatabaseFailures() {
    }

    /** {@code handler}, with a database failure answered 503. */
    static Handler guard(Handler handler) {
        return request -> {
            try {
                return handler.handle(request);
            } catch (SQLException e) {
                throw unavailable(e);
            }
        };
    }

    static HttpError unavailable(SQLException e) {
        long count = failures.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastWarning > WARN_INTERVAL_NANOS) {
            lastWarning = now;
            failures.set(0);
            log.warn("Database unavailable ({} request(s) answered 503 since the last warning): {}", count,
                    e.getMessage());
        }
        return new HttpError(503, "database unavailable, try again shortly").header("Retry-After", "2");
    }
}
