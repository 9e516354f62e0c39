package io.corral.chat.message;

import io.corral.app.Broker;
import io.corral.chat.account.Inbox;
import io.corral.chat.text.Usernames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code @username} in a message: each member of the room it names (by the name's key, as logins compare names;
 * never the author, never a non-member) gets a mention row, counted in their room list while it is unread, and a
 * {@code mention} frame on every socket of theirs, on every worker ({@link Inbox}). An edit
 * mentions only the names it adds; a deletion takes the message's mentions away.
 */
public final class Mentions {
    /** At most this many names are looked up per message: a text of 500 mentions notifies nobody past these. */
    public static final int MAX_PER_MESSAGE = 20;
    private static final int EXCERPT = 200;
    // A name's characters (Usernames), after an '@' that does not continue a word (so "a@b.c" names nobody).
    private static final Pattern MENTION = Pattern.compile("(?<![\\p{L}\\p{N}\\p{M}_.@-])@([\\p{L}\\p{N}\\p{M}_.-]+)");

    private final Broker broker;

    public Mentions(Broker broker) {
        this.broker = broker;
    }

    /** The users a message named and who were not named by it before. */
    public record Named(Set<Long> userIds) {
        public static final Named NONE = new Named(Set.of());
    }

    /** The keys of the names {@code text} mentions, in order, at most {@value #MAX_PER_MESSAGE}. */
    static List<String> keys(String text) {
        var keys = new LinkedHashSet<String>();
        Matcher m = MENTION.matcher(text == null ? "" : text);
        while (m.find() && keys.size() < MAX_PER_MESSAGE) {
            String name = m.group(1);
            keys.add(Usernames.key(name));
            String trimmed = name.replaceAll("[.\\-]+$", "");  // "@bob." at a sentence's end names bob
            if (!trimmed.isEmpty() && !trimmed.equals(name) && keys.size() < MAX_PER_MESSAGE) {
                keys.add(Usernames.key(trimmed));
            }
        }
        return new ArrayList<>(keys);
    }

    /** Who is mentioned by message {@code seq} now. */
    Named of(Connection c, long roomId, long seq) throws SQLException {
        var ids = new java.util.HashSet<Long>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT user_id FROM mentions WHERE room_id = ? AND seq = ?")) {
            select.setLong(1, roomId);
            select.setLong(2, seq);
            ResultSet rs = select.executeQuery();
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return new Named(ids);
    }

    /**
     * Records the mentions of {@code event}'s text (a message's, or an edit's for its target): those not among
     * {@code before} are added and returned; those of {@code before} it no longer names are taken away.
     */
    Named record(Connection c, ChatEvent event, Named before) throws SQLException {
        List<String> keys = keys(event.text());
        long message = event.target() == null ? event.seq() : event.target();
        var current = new java.util.HashSet<Long>();
        if (!keys.isEmpty()) {
            current.addAll(resolve(c, event, keys));
        }
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM mentions WHERE user_id = ? AND room_id = ? AND seq = ?")) {
            for (long id : before.userIds()) {
                if (!current.contains(id)) {
                    delete.setLong(1, id);
                    delete.setLong(2, event.room());
                    delete.setLong(3, message);
                    delete.executeUpdate();
                }
            }
        }
        var named = new java.util.HashSet<>(current);
        named.removeAll(before.userIds());
        insert(c, event, message, named);
        return new Named(named);
    }

    /** The members of the room, but the author, whose names' keys are {@code keys}. */
    private static Set<Long> resolve(Connection c, ChatEvent event, List<String> keys) throws SQLException {
        var ids = new java.util.HashSet<Long>();
        try (PreparedStatement select = c.prepareStatement("SELECT u.id FROM users u "
                + "JOIN members m ON m.user_id = u.id AND m.room_id = ? "
                + "WHERE u.username_key IN (" + "?,".repeat(keys.size() - 1) + "?)")) {
            select.setLong(1, event.room());
            for (int i = 0; i < keys.size(); i++) {
                select.setString(i + 2, keys.get(i));
            }
            ResultSet rs = select.executeQuery();
            while (rs.next()) {
                if (rs.getLong(1) != event.userId()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private static void insert(Connection c, ChatEvent event, long message, Set<Long> named) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO mentions (user_id, room_id, seq) VALUES (?, ?, ?)")) {
            for (long id : named) {
                insert.setLong(1, id);
                insert.setLong(2, event.room());
                insert.setLong(3, message);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** After the commit: a {@code mention} frame to each named user's inbox. */
    void notify(ChatEvent event, Named named) {
        if (named.userIds().isEmpty()) {
            return;
        }
        String text = event.text();
        int end = text.offsetByCodePoints(0, Math.min(EXCERPT, text.codePointCount(0, text.length())));
        var frame = Map.of("type", "mention", "room", event.room(),
                "seq", event.target() == null ? event.seq() : event.target(), "event", event.seq(),
                "by", event.username(), "text", text.substring(0, end));
        for (long id : named.userIds()) {
            Inbox.send(broker, id, frame);
        }
    }

    /** A deleted message mentions nobody any more. */
    static void purge(Connection c, long roomId, long seq) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM mentions WHERE room_id = ? AND seq = ?")) {
            delete.setLong(1, roomId);
            delete.setLong(2, seq);
            delete.executeUpdate();
        }
    }
}
