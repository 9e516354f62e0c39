package io.corral.chat.limit;

import io.corral.chat.store.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;

/**
 * The times of limited actions that leave no other trace (failed logins, registrations by address, uploads), in
 * the table {@code rate_hits}, shared by every worker and host on the database. Rows older than the longest window
 * (a day at least) are deleted as new ones come, at most once a minute per worker.
 */
public final class RateHits {
    private static final long SWEEP_MILLIS = 60_000L;
    private final long keepMillis;
    private volatile long lastSweep;

    public RateHits(ChatLimits limits) {
        long longest = 86_400_000L;
        for (Limit limit : List.of(limits.loginPerAddress(), limits.loginPerAccountAddress(),
                limits.registrations(), limits.uploads())) {
            longest = Math.max(longest, limit.window().toMillis());
        }
        this.keepMillis = longest;
    }

    /** A bucket's name: what it counts, hashed, so a client's text neither grows the table nor decides its width. */
    public static String bucket(String kind, String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return kind + ":" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public record Hit(String bucket, Limit limit) {
    }

    /**
     * Counts an attempt in every bucket of {@code hits}, or refuses it: returns the seconds to wait (0: go ahead).
     * Already over a limit, nothing is recorded (an attacker hammering a locked bucket adds no rows). Otherwise the
     * attempt is recorded and committed first and the buckets counted after, this attempt included: of attempts
     * racing on several workers, each sees at least those committed before it, so no more than a limit's count get
     * through, where a check made before recording would let all of them pass.
     */
    public long attempt(Database database, List<Hit> hits, long now) throws SQLException {
        long wait = database.read(c -> waitFor(c, hits, now, 0));
        if (wait > 0) {
            return wait;
        }
        database.transaction(c -> {
            for (Hit hit : hits) {
                if (!hit.limit().isOff()) {
                    record(c, hit.bucket(), now);
                }
            }
            return null;
        });
        return database.read(c -> waitFor(c, hits, now, 1));
    }

    private static long waitFor(Connection c, List<Hit> hits, long now, int included) throws SQLException {
        long wait = 0;
        for (Hit hit : hits) {
            Limit limit = hit.limit();
            if (!limit.isOff()) {
                String sql = "SELECT at FROM rate_hits WHERE bucket = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET "
                        + (limit.count() - 1 + included);
                wait = Math.max(wait, limit.retryAfterSeconds(countThNewest(c, sql, hit.bucket(),
                        now - limit.window().toMillis()), now));
            }
        }
        return wait;
    }

    private void record(Connection c, String bucket, long now) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO rate_hits (bucket, at) VALUES (?, ?)")) {
            insert.setString(1, bucket);
            insert.setLong(2, now);
            insert.executeUpdate();
        }
        if (now - lastSweep > SWEEP_MILLIS) {
            lastSweep = now;
            try (PreparedStatement sweep = c.prepareStatement("DELETE FROM rate_hits WHERE at < ?")) {
                sweep.setLong(1, now - keepMillis);
                sweep.executeUpdate();
            }
        }
    }

    /** Forgets a bucket (a login that succeeded clears its account's failures from that address). */
    public void clear(Connection c, String bucket) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM rate_hits WHERE bucket = ?")) {
            delete.setString(1, bucket);
            delete.executeUpdate();
        }
    }

    /** Takes back the attempt recorded at {@code at} (a login that succeeded is no failure of its address). */
    public void forget(Connection c, String bucket, long at) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM rate_hits WHERE bucket = ? AND at = ?")) {
            delete.setString(1, bucket);
            delete.setLong(2, at);
            delete.executeUpdate();
        }
    }

    /**
     * Seconds until {@code key} may add one more row to {@code table} under {@code limit}, counting the rows its
     * {@code keyColumn} names by their {@code created_at} (0: now). For the posting and room limits, which count
     * rows their own tables already hold. {@code locking}: read with {@code FOR UPDATE} (MariaDB), so the count sees
     * what other transactions committed and racing callers take turns. The names are the caller's constants.
     */
    public static long retryAfterInTable(Connection c, String table, String keyColumn, long key, Limit limit,
                                         long now, boolean locking) throws SQLException {
        return retryAfterInRows(c, table, keyColumn + " = ?", key, limit, now, locking);
    }

    /** As above, the rows chosen by {@code condition} (with one parameter, the key: "owner_id = ? AND kind = 'x'"). */
    public static long retryAfterInRows(Connection c, String table, String condition, Object key, Limit limit,
                                         long now, boolean locking) throws SQLException {
        if (limit.isOff()) {
            return 0;
        }
        return limit.retryAfterSeconds(countThNewest(c, "SELECT created_at FROM " + table + " WHERE " + condition
                + " AND created_at > ? ORDER BY created_at DESC LIMIT 1 OFFSET " + (limit.count() - 1)
                + (locking ? " FOR UPDATE" : ""), key, now - limit.window().toMillis()), now);
    }

    /**
     * The time of the {@code count}-th newest row a query finds ({@code sql} has {@code LIMIT 1 OFFSET count-1} and
     * two parameters: a key and the window's start), or null when there are fewer.
     */
    private static Long countThNewest(Connection c, String sql, Object key, long since) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql)) {
            select.setObject(1, key);
            select.setLong(2, since);
            ResultSet rs = select.executeQuery();
            return rs.next() ? rs.getLong(1) : null;
        }
    }
}
