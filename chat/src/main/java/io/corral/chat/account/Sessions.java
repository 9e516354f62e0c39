package io.corral.chat.account;

import io.corral.chat.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Sessions: one bearer token each, stored as its SHA-256. A session's public id is the first 16 hex digits of that
 * hash (it names the session in lists and revocations and cannot be turned back into the token). A session expires
 * once it has gone unused for {@code lifetime} (sliding: every use moves the end, written at most once a minute).
 */
public final class Sessions {
    private static final int MAX_AGENT = 200;

    private final Database database;
    private final long lifetimeMillis;
    /** How stale a recorded use may be: a minute, or a tenth of a short lifetime. */
    private final long touchMillis;

    public Sessions(Database database, Duration lifetime) {
        this.database = database;
        this.lifetimeMillis = lifetime.toMillis();
        this.touchMillis = Math.min(60_000, lifetimeMillis / 10);
    }

    /** What a session list shows of one session. */
    public record Info(String id, long createdAt, long lastUsedAt, String agent, boolean current) {
    }

    private record Live(User user, long lastUsedAt) {
    }

    static String idOf(String tokenHash) {
        return tokenHash.substring(0, 16);
    }

    /** A new session for {@code userId}; returns its token (the only time it exists outside the client). */
    String create(Connection c, long userId, String agent, long now) throws SQLException {
        String token = Tokens.newToken();
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO tokens (token_hash, user_id, created_at, "
                + "last_used_at, agent) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, Tokens.hash(token));
            insert.setLong(2, userId);
            insert.setLong(3, now);
            insert.setLong(4, now);
            insert.setString(5, agent == null ? null : agent.substring(0, Math.min(agent.length(), MAX_AGENT)));
            insert.executeUpdate();
        }
        return token;
    }

    /** The live session of {@code token}, its use recorded; empty when unknown, revoked or expired. */
    public Optional<SignedIn> find(String token) throws SQLException {
        String hash = Tokens.hash(token);
        long now = System.currentTimeMillis();
        var found = database.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT u.id, u.username, t.last_used_at "
                    + "FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.last_used_at > ?")) {
                select.setString(1, hash);
                select.setLong(2, now - lifetimeMillis);
                ResultSet rs = select.executeQuery();
                return rs.next() ? new Live(new User(rs.getLong(1), rs.getString(2)), rs.getLong(3)) : null;
            }
        });
        if (found == null) {
            return Optional.empty();
        }
        if (now - found.lastUsedAt() > touchMillis) {
            touch(List.of(hash), now);
        }
        return Optional.of(new SignedIn(found.user(), idOf(hash)));
    }

    /**
     * Of the sessions {@code ids} names (public ids of open sockets, with their users), those still live; their use
     * is recorded, so a session with an open socket does not expire under it. One indexed query per 500 users.
     */
    public Set<String> live(java.util.Map<String, Long> ids) throws SQLException {
        var live = new HashSet<String>();
        var users = new ArrayList<>(new HashSet<>(ids.values()));
        long now = System.currentTimeMillis();
        for (int from = 0; from < users.size(); from += 500) {
            List<Long> chunk = users.subList(from, Math.min(users.size(), from + 500));
            var hashes = database.read(c -> {
                var found = new ArrayList<String>();
                try (PreparedStatement select = c.prepareStatement("SELECT token_hash FROM tokens WHERE user_id IN ("
                        + "?,".repeat(chunk.size() - 1) + "?) AND last_used_at > ?")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        select.setLong(i + 1, chunk.get(i));
                    }
                    select.setLong(chunk.size() + 1, now - lifetimeMillis);
                    ResultSet rs = select.executeQuery();
                    while (rs.next()) {
                        if (ids.containsKey(idOf(rs.getString(1)))) {
                            found.add(rs.getString(1));
                        }
                    }
                }
                return found;
            });
            hashes.forEach(h -> live.add(idOf(h)));
            touch(hashes, now);
        }
        return live;
    }

    private void touch(List<String> hashes, long now) throws SQLException {
        if (hashes.isEmpty()) {
            return;
        }
        database.transaction(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE tokens SET last_used_at = ? WHERE token_hash = ?"
                    + " AND last_used_at < ?")) {
                for (String hash : hashes) {
                    update.setLong(1, now);
                    update.setString(2, hash);
                    update.setLong(3, now - touchMillis);
                    update.addBatch();
                }
                return update.executeBatch();
            }
        });
    }

    public List<Info> list(SignedIn who) throws SQLException {
        long now = System.currentTimeMillis();
        return database.read(c -> {
            var sessions = new ArrayList<Info>();
            try (PreparedStatement select = c.prepareStatement("SELECT token_hash, created_at, last_used_at, agent "
                    + "FROM tokens WHERE user_id = ? AND last_used_at > ? ORDER BY last_used_at DESC")) {
                select.setLong(1, who.user().id());
                select.setLong(2, now - lifetimeMillis);
                ResultSet rs = select.executeQuery();
                while (rs.next()) {
                    String id = idOf(rs.getString(1));
                    sessions.add(new Info(id, rs.getLong(2), rs.getLong(3), rs.getString(4), id.equals(who.session())));
                }
            }
            return sessions;
        });
    }

    /**
     * Deletes {@code userId}'s sessions: the one named {@code only}, or (with {@code only} null) all but
     * {@code keep} (null: all). Returns the ids deleted. Inside the caller's transaction.
     */
    static List<String> revoke(Connection c, long userId, String only, String keep) throws SQLException {
        var ids = new ArrayList<String>();
        try (PreparedStatement select = c.prepareStatement("SELECT token_hash FROM tokens WHERE user_id = ?")) {
            select.setLong(1, userId);
            ResultSet rs = select.executeQuery();
            while (rs.next()) {
                String id = idOf(rs.getString(1));
                if (only != null ? id.equals(only) : !id.equals(keep)) {
                    ids.add(rs.getString(1));
                }
            }
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM tokens WHERE token_hash = ?")) {
            for (String hash : ids) {
                delete.setString(1, hash);
                delete.addBatch();
            }
            if (!ids.isEmpty()) {
                delete.executeBatch();
            }
        }
        return ids.stream().map(Sessions::idOf).toList();
    }

    /** Deletes sessions unused for longer than the lifetime (called now and then). */
    void sweepExpired(Connection c, long now) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM tokens WHERE last_used_at < ?")) {
            delete.setLong(1, now - lifetimeMillis);
            delete.executeUpdate();
        }
    }
}
