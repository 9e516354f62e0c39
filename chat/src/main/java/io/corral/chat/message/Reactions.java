package io.corral.chat.message;

import io.corral.app.HttpError;
import io.corral.chat.account.User;
import io.corral.chat.room.Room;
import io.corral.chat.text.Emoji;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Emoji reactions: one per user per emoji per message, added and taken back as {@code react} / {@code unreact}
 * events in the room's log. Each event carries the message's counts as it left them, and the message row the
 * current ones, so a client that replays the log and one that reads history show the same counts.
 */
public final class Reactions {
    /** Distinct emoji a message may gather: beyond, a new one is refused (409), an existing one may still be added. */
    public static final int MAX_EMOJI_PER_MESSAGE = 20;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<TreeMap<String, Integer>> COUNTS = new TypeReference<>() {
    };

    private final EventLog log;

    public Reactions(EventLog log) {
        this.log = log;
    }

    /** Adds {@code user}'s {@code emoji} to message {@code seq}: the event, or null when it was there already. */
    public ChatEvent add(User user, long roomId, long seq, String emoji) throws SQLException {
        return change(user, roomId, seq, Emoji.check("emoji", emoji), true);
    }

    /** Takes {@code user}'s {@code emoji} back from message {@code seq}: the event, or null when there was none. */
    public ChatEvent remove(User user, long roomId, long seq, String emoji) throws SQLException {
        return change(user, roomId, seq, Emoji.check("emoji", emoji), false);
    }

    private ChatEvent change(User user, long roomId, long seq, String emoji, boolean add) throws SQLException {
        var writer = new EventLog.Writer() {
            @Override
            public boolean prepare(Connection c, Room room) throws SQLException {
                liveMessage(c, roomId, seq);
                return add ? insert(c, user, roomId, seq, emoji) : delete(c, user, roomId, seq, emoji);
            }

            @Override
            public ChatEvent written(Connection c, ChatEvent event) throws SQLException {
                Map<String, Integer> counts = counts(c, roomId, seq);
                String json = counts.isEmpty() ? null : JSON.writeValueAsString(counts);
                try (PreparedStatement update = c.prepareStatement(
                        "UPDATE events SET reactions = ? WHERE room_id = ? AND seq IN (?, ?)")) {
                    update.setString(1, json);
                    update.setLong(2, roomId);
                    update.setLong(3, seq);
                    update.setLong(4, event.seq());
                    update.executeUpdate();
                }
                return new ChatEvent(event.room(), event.seq(), event.kind(), event.target(), event.userId(),
                        event.username(), event.text(), null, event.at(), null, null, null, null,
                        counts.isEmpty() ? null : counts, null);  // as stored: none is null, live and in history
            }
        };
        var draft = EventLog.Draft.of(add ? ChatEvent.REACT : ChatEvent.UNREACT, seq, emoji);
        return log.append(user, roomId, draft, writer).event();
    }

    private static void liveMessage(Connection c, long roomId, long seq) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT deleted_at FROM events WHERE room_id = ? AND seq = ? AND kind = 'message'")) {
            select.setLong(1, roomId);
            select.setLong(2, seq);
            ResultSet rs = select.executeQuery();
            if (!rs.next()) {
                throw new HttpError(404, "no such message");
            }
            rs.getLong(1);
            if (!rs.wasNull()) {
                throw new HttpError(404, "message deleted");
            }
        }
    }

    private static boolean insert(Connection c, User user, long roomId, long seq, String emoji) throws SQLException {
        Map<String, Integer> counts = counts(c, roomId, seq);
        if (!counts.containsKey(emoji) && counts.size() >= MAX_EMOJI_PER_MESSAGE) {
            throw new HttpError(409, "a message takes at most " + MAX_EMOJI_PER_MESSAGE + " different reactions");
        }
        try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM reactions WHERE room_id = ? AND seq = ? "
                + "AND user_id = ? AND emoji = ?")) {
            exists.setLong(1, roomId);
            exists.setLong(2, seq);
            exists.setLong(3, user.id());
            exists.setString(4, emoji);
            if (exists.executeQuery().next()) {
                return false;
            }
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO reactions (room_id, seq, user_id, emoji) VALUES (?, ?, ?, ?)")) {
            insert.setLong(1, roomId);
            insert.setLong(2, seq);
            insert.setLong(3, user.id());
            insert.setString(4, emoji);
            insert.executeUpdate();
        }
        return true;
    }

    private static boolean delete(Connection c, User user, long roomId, long seq, String emoji) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM reactions WHERE room_id = ? AND seq = ? AND user_id = ? AND emoji = ?")) {
            delete.setLong(1, roomId);
            delete.setLong(2, seq);
            delete.setLong(3, user.id());
            delete.setString(4, emoji);
            return delete.executeUpdate() > 0;
        }
    }

    private static Map<String, Integer> counts(Connection c, long roomId, long seq) throws SQLException {
        var counts = new TreeMap<String, Integer>();
        try (PreparedStatement select = c.prepareStatement("SELECT emoji, COUNT(*) FROM reactions "
                + "WHERE room_id = ? AND seq = ? GROUP BY emoji")) {
            select.setLong(1, roomId);
            select.setLong(2, seq);
            ResultSet rs = select.executeQuery();
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getInt(2));
            }
        }
        return counts;
    }

    /** The counts a row's {@code reactions} column holds (null: none). */
    static Map<String, Integer> counts(String json) {
        return json == null ? null : JSON.readValue(json, COUNTS);
    }

    /** A deleted message keeps no reactions: not in its row, nor in its reaction events (emoji and counts go). */
    static void purge(Connection c, long roomId, long seq) throws SQLException {
        try (PreparedStatement events = c.prepareStatement("UPDATE events SET text = NULL, reactions = NULL "
                + "WHERE room_id = ? AND target_seq = ? AND kind IN ('react', 'unreact')")) {
            events.setLong(1, roomId);
            events.setLong(2, seq);
            events.executeUpdate();
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM reactions WHERE room_id = ? AND seq = ?")) {
            delete.setLong(1, roomId);
            delete.setLong(2, seq);
            delete.executeUpdate();
        }
        try (PreparedStatement clear = c.prepareStatement(
                "UPDATE events SET reactions = NULL WHERE room_id = ? AND seq = ?")) {
            clear.setLong(1, roomId);
            clear.setLong(2, seq);
            clear.executeUpdate();
        }
    }
}
