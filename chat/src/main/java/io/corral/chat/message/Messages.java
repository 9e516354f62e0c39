package io.corral.chat.message;

import io.corral.app.Broker;
import io.corral.app.HttpError;
import io.corral.app.InvalidInput;
import io.corral.chat.account.User;
import io.corral.chat.limit.Limit;
import io.corral.chat.limit.RateHits;
import io.corral.chat.limit.TooMany;
import io.corral.chat.room.Rooms;
import io.corral.chat.store.Database;
import io.corral.chat.text.TextField;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * A room's log. Every event takes the room's next sequence number inside its insert transaction (the UPDATE of
 * {@code rooms.last_seq} locks the room's row in MariaDB and the file in SQLite, so concurrent senders on any
 * worker queue there): numbers have no gaps and commit in order. A client message id makes a send idempotent:
 * retried, it returns the original event. After the commit, the event is published on the broker topic
 * {@code room:ID}, where every worker's subscribed sockets get it.
 */
public final class Messages {
    public static final int MAX_TEXT = 4000;
    public static final int MAX_CLIENT_ID = 64;
    public static final int MAX_PAGE = 200;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String COLUMNS = "e.room_id, e.seq, e.kind, e.target_seq, e.user_id, u.username, e.text, "
            + "e.client_id, e.created_at, e.edited_at, e.deleted_at";

    private final Database database;
    private final Rooms rooms;
    private final Broker broker;

    private final Limit posts;

    public Messages(Database database, Rooms rooms, Broker broker, Limit posts) {
        this.database = database;
        this.rooms = rooms;
        this.broker = broker;
        this.posts = posts;
    }

    public static String topic(long roomId) {
        return "room:" + roomId;
    }

    public record NewMessage(String text, String clientId) {
        public NewMessage {
            TextField.message("text", text, MAX_TEXT);
            if (clientId != null && (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID
                    || !TextField.isWellFormed(clientId) || clientId.chars().anyMatch(Character::isISOControl))) {
                throw InvalidInput.field("clientId", "1 to " + MAX_CLIENT_ID + " characters", "value_error.length");
            }
        }
    }

    public record Edit(String text) {
        public Edit {
            TextField.message("text", text, MAX_TEXT);
        }
    }

    /** Posts a message as {@code user}; the same client id again returns the first event, not a copy. */
    public ChatEvent send(User user, long roomId, NewMessage message) throws SQLException {
        ChatEvent event;
        try {
            event = append(user, roomId, ChatEvent.MESSAGE, null, message.text(), message.clientId());
        } catch (SQLException e) {
            // Two retries of one message racing on two workers: the unique index let one in; return that one.
            if (message.clientId() == null || e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw e;
            }
            event = database.read(c -> byClientId(c, roomId, user.id(), message.clientId()));
            if (event == null) {
                throw e;
            }
        }
        return event;
    }

    /**
     * Replaces the text of {@code user}'s own message {@code seq}, as a new event; the text it replaces is gone from
     * storage (the message row holds the new one, earlier edit events none).
     */
    public ChatEvent edit(User user, long roomId, long seq, Edit edit) throws SQLException {
        return append(user, roomId, ChatEvent.EDIT, seq, edit.text(), null);
    }

    /**
     * Deletes {@code user}'s own message {@code seq}, as a new event: its text and every text its edits brought are
     * gone from storage; the events stay, as tombstones, so the sequence keeps no gap. 404 for a deleted message.
     */
    public ChatEvent delete(User user, long roomId, long seq) throws SQLException {
        return append(user, roomId, ChatEvent.DELETE, seq, null, null);
    }

    private ChatEvent append(User user, long roomId, String kind, Long target, String text, String clientId)
            throws SQLException {
        boolean[] created = {false};
        ChatEvent event = database.transaction(c -> {
            if (rooms.readable(c, user, roomId).role() == null) {
                throw new HttpError(403, "join the room first");
            }
            if (clientId != null) {
                ChatEvent earlier = byClientId(c, roomId, user.id(), clientId);
                if (earlier != null) {
                    return earlier;
                }
            }
            if (target != null) {
                checkOwnMessage(c, user, roomId, target);
            }
            long now = System.currentTimeMillis();
            checkRate(c, user, now);
            long seq = nextSeq(c, roomId);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO events (room_id, seq, kind, "
                    + "target_seq, user_id, text, client_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setLong(1, roomId);
                insert.setLong(2, seq);
                insert.setString(3, kind);
                insert.setObject(4, target);
                insert.setLong(5, user.id());
                insert.setString(6, text);
                insert.setString(7, clientId);
                insert.setLong(8, now);
                insert.executeUpdate();
            }
            if (target != null) {
                purgeSuperseded(c, roomId, target, seq, kind.equals(ChatEvent.DELETE) ? null : text, now);
            }
            created[0] = true;
            return new ChatEvent(roomId, seq, kind, target, user.id(), user.username(), text, clientId, now, null,
                    null);
        });
        if (created[0]) {
            broker.publish(topic(roomId), JSON.writeValueAsBytes(event));
        }
        return event;
    }

    /**
     * The message row takes the edit's text (or, deleted, loses its own), and the edit events before {@code seq}
     * lose theirs: after this, the only copy of a message's text is its current one. ({@code seq <> ?}, not
     * {@code seq < ?}: SQLite's planner would then walk the room's events by sequence, not the target's index.)
     */
    private static void purgeSuperseded(Connection c, long roomId, long target, long seq, String text, long now)
            throws SQLException {
        // "deleted_at IS NULL" here, not only in the check before: on MariaDB that check reads the transaction's
        // snapshot, and a deletion committed since would let this edit write its text onto the tombstone. The
        // UPDATE reads the row as committed, waiting for the deleting transaction; no row: deleted, all undone.
        try (PreparedStatement message = c.prepareStatement(text == null
                ? "UPDATE events SET text = NULL, deleted_at = ? WHERE room_id = ? AND seq = ? AND deleted_at IS NULL"
                : "UPDATE events SET text = ?, edited_at = ? WHERE room_id = ? AND seq = ? AND deleted_at IS NULL")) {
            int i = 1;
            if (text != null) {
                message.setString(i++, text);
            }
            message.setLong(i++, now);
            message.setLong(i++, roomId);
            message.setLong(i, target);
            if (message.executeUpdate() == 0) {
                throw new HttpError(404, "message deleted");
            }
        }
        try (PreparedStatement edits = c.prepareStatement("UPDATE events SET text = NULL WHERE room_id = ? "
                + "AND target_seq = ? AND kind = 'edit' AND seq <> ? AND text IS NOT NULL")) {
            edits.setLong(1, roomId);
            edits.setLong(2, target);
            edits.setLong(3, seq);
            edits.executeUpdate();
        }
    }

    /** 429 when {@code user} has posted, edited or deleted as often as the posting limit allows. */
    private void checkRate(Connection c, User user, long now) throws SQLException {
        // Locking on MariaDB: a plain read sees this transaction's snapshot, and one user's parallel posts in
        // several rooms could all pass on the same count; SQLite's transactions take turns anyway.
        long wait = RateHits.retryAfterInTable(c, "events", "user_id", user.id(), posts, now,
                !database.settings().isSqlite());
        TooMany.refuseIf(wait, "posting too fast; try again in " + wait + " s");
    }

    /** Invariant: called inside the insert's transaction, so the number is taken and used atomically. */
    private static long nextSeq(Connection c, long roomId) throws SQLException {
        try (PreparedStatement bump = c.prepareStatement("UPDATE rooms SET last_seq = last_seq + 1 WHERE id = ?")) {
            bump.setLong(1, roomId);
            bump.executeUpdate();
        }
        try (PreparedStatement select = c.prepareStatement("SELECT last_seq FROM rooms WHERE id = ?")) {
            select.setLong(1, roomId);
            ResultSet rs = select.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void checkOwnMessage(Connection c, User user, long roomId, long seq) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT user_id, kind, deleted_at FROM events WHERE room_id = ? AND seq = ?")) {
            select.setLong(1, roomId);
            select.setLong(2, seq);
            ResultSet rs = select.executeQuery();
            if (!rs.next() || !ChatEvent.MESSAGE.equals(rs.getString(2))) {
                throw new HttpError(404, "no such message");
            }
            rs.getLong(3);
            if (!rs.wasNull()) {
                throw new HttpError(404, "message deleted");
            }
            if (rs.getLong(1) != user.id()) {
                throw new HttpError(403, "only its author may change a message");
            }
        }
    }

    private static ChatEvent byClientId(Connection c, long roomId, long userId, String clientId)
            throws SQLException {
        List<ChatEvent> found = select(c, "WHERE e.room_id = ? AND e.user_id = ? AND e.client_id = ?",
                List.of(roomId, userId, clientId));
        return found.isEmpty() ? null : found.getFirst();
    }

    /**
     * A page of the log: after {@code after} (oldest first, for catching up) or before {@code before} (the
     * newest page below it, oldest first), at most {@code limit} (≤ {@value #MAX_PAGE}) events.
     */
    public List<ChatEvent> history(User user, long roomId, Long before, Long after, int limit) throws SQLException {
        if (limit < 1 || limit > MAX_PAGE) {
            throw InvalidInput.field("limit", "1 to " + MAX_PAGE, "value_error.range");
        }
        if (before != null && after != null) {
            throw InvalidInput.field("before", "give before or after, not both", "value_error.conflict");
        }
        return database.read(c -> {
            rooms.readable(c, user, roomId);
            return page(c, roomId, before, after, limit);
        });
    }

    /** Events after {@code after} up to {@code upTo} (inclusive), for a socket catching up. No access check. */
    public List<ChatEvent> since(long roomId, long after, long upTo) throws SQLException {
        return database.read(c -> select(c, "WHERE e.room_id = ? AND e.seq > ? AND e.seq <= ? ORDER BY e.seq",
                List.of(roomId, after, upTo)));
    }

    private static List<ChatEvent> page(Connection c, long roomId, Long before, Long after, int limit)
            throws SQLException {
        if (after != null || before == null) {
            if (after != null) {
                return select(c, "WHERE e.room_id = ? AND e.seq > ? ORDER BY e.seq LIMIT " + limit,
                        List.of(roomId, after));
            }
            List<ChatEvent> newest = select(c, "WHERE e.room_id = ? ORDER BY e.seq DESC LIMIT " + limit,
                    List.of(roomId));
            return newest.reversed();
        }
        return select(c, "WHERE e.room_id = ? AND e.seq < ? ORDER BY e.seq DESC LIMIT " + limit,
                List.of(roomId, before)).reversed();
    }

    private static List<ChatEvent> select(Connection c, String where, List<Object> params) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM events e "
                + "JOIN users u ON u.id = e.user_id " + where)) {
            for (int i = 0; i < params.size(); i++) {
                select.setObject(i + 1, params.get(i));
            }
            ResultSet rs = select.executeQuery();
            var events = new ArrayList<ChatEvent>();
            while (rs.next()) {
                events.add(new ChatEvent(rs.getLong(1), rs.getLong(2), rs.getString(3), nullableLong(rs, 4),
                        rs.getLong(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9),
                        nullableLong(rs, 10), nullableLong(rs, 11)));
            }
            return events;
        }
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
