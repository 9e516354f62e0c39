package io.corral.chat.message;

import io.corral.app.HttpError;
import io.corral.app.InvalidInput;
import io.corral.chat.account.User;
import io.corral.chat.attachment.Attachments;
import io.corral.chat.room.Room;
import io.corral.chat.room.Rooms;
import io.corral.chat.store.Database;
import io.corral.chat.text.TextField;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages in a room's log: posting (with an optional reply), editing and deleting one's own, reading pages of the
 * log. A client message id makes a send idempotent: retried, it returns the original event. Appends go through
 * {@link EventLog}, which numbers them.
 */
public final class Messages {
    public static final int MAX_TEXT = 4000;
    public static final int MAX_CLIENT_ID = 64;
    public static final int MAX_PAGE = 200;
    private static final String COLUMNS = "e.room_id, e.seq, e.kind, e.target_seq, e.user_id, u.username, e.text, "
            + "e.client_id, e.created_at, e.edited_at, e.deleted_at, e.reply_to, e.reactions, "
            + "q.seq, q.user_id, qu.username, q.text, q.deleted_at";
    private static final String FROM = " FROM events e JOIN users u ON u.id = e.user_id "
            + "LEFT JOIN events q ON q.room_id = e.room_id AND q.seq = e.reply_to "
            + "LEFT JOIN users qu ON qu.id = q.user_id ";

    private final Database database;
    private final Rooms rooms;
    private final EventLog log;
    private final Mentions mentions;
    private final Attachments attachments;

    public Messages(Database database, Rooms rooms, EventLog log, Mentions mentions, Attachments attachments) {
        this.database = database;
        this.rooms = rooms;
        this.log = log;
        this.mentions = mentions;
        this.attachments = attachments;
    }

    public static String topic(long roomId) {
        return EventLog.topic(roomId);
    }

    /**
     * A message to post; {@code replyTo}, the seq of an earlier message of the room it answers; {@code attachments},
     * the ids of the sender's uploads to this room it carries (then the text may be empty).
     */
    public record NewMessage(String text, String clientId, Long replyTo, List<String> attachments) {
        public NewMessage {
            attachments = attachments == null ? List.of() : List.copyOf(attachments);
            if (attachments.isEmpty() || text != null && !text.isEmpty()) {
                TextField.message("text", text, MAX_TEXT);
            } else {
                text = "";
            }
            if (clientId != null && (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID
                    || !TextField.isWellFormed(clientId) || clientId.chars().anyMatch(Character::isISOControl))) {
                throw InvalidInput.field("clientId", "1 to " + MAX_CLIENT_ID + " characters", "value_error.length");
            }
            if (replyTo != null && replyTo < 1) {
                throw InvalidInput.field("replyTo", "the seq of a message of the room", "value_error.reply");
            }
        }

        public NewMessage(String text, String clientId, Long replyTo) {
            this(text, clientId, replyTo, null);
        }

        public NewMessage(String text, String clientId) {
            this(text, clientId, null, null);
        }
    }

    public record Edit(String text) {
        public Edit {
            TextField.message("text", text, MAX_TEXT);
        }
    }

    /**
     * Posts a message as {@code user}; the same client id again returns the first event, not a copy. Members it
     * names with {@code @username} get a mention.
     */
    public ChatEvent send(User user, long roomId, NewMessage message) throws SQLException {
        var writer = new EventLog.Writer() {
            private Mentions.Named named = Mentions.Named.NONE;
            private List<Attachments.Info> files = List.of();

            @Override
            public boolean prepare(Connection c, Room room) throws SQLException {
                if (message.replyTo() != null) {
                    quote(c, roomId, message.replyTo());
                }
                files = Attachments.checkPending(c, user, roomId, message.attachments());
                return true;
            }

            @Override
            public ChatEvent written(Connection c, ChatEvent event) throws SQLException {
                named = mentions.record(c, event, Mentions.Named.NONE);
                Attachments.attach(c, roomId, event.seq(), message.attachments());
                return withQuote(c, files.isEmpty() ? event : event.withAttachments(files));
            }

            @Override
            public void committed(ChatEvent event) {
                mentions.notify(event, named);
            }
        };
        var draft = new EventLog.Draft(ChatEvent.MESSAGE, null, message.text(), message.clientId(), message.replyTo());
        try {
            return log.append(user, roomId, draft, writer).event();
        } catch (SQLException e) {
            // Two retries of one message racing on two workers: the unique index let one in; return that one.
            if (message.clientId() == null || e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw e;
            }
            ChatEvent event = database.read(c -> byClientId(c, roomId, user.id(), message.clientId()));
            if (event == null) {
                throw e;
            }
            return event;
        }
    }

    /**
     * Replaces the text of {@code user}'s own message {@code seq}, as a new event; the text it replaces is gone from
     * storage (the message row holds the new one, earlier edit events none). Names it adds get a mention.
     */
    public ChatEvent edit(User user, long roomId, long seq, Edit edit) throws SQLException {
        var writer = new EventLog.Writer() {
            private Mentions.Named named = Mentions.Named.NONE;

            @Override
            public boolean prepare(Connection c, Room room) throws SQLException {
                checkOwnMessage(c, user, roomId, seq);
                return true;
            }

            @Override
            public ChatEvent written(Connection c, ChatEvent event) throws SQLException {
                purgeSuperseded(c, roomId, seq, event.seq(), edit.text(), event.at());
                named = mentions.record(c, event, mentions.of(c, roomId, seq));
                return event;
            }

            @Override
            public void committed(ChatEvent event) {
                mentions.notify(event, named);
            }
        };
        return log.append(user, roomId, EventLog.Draft.of(ChatEvent.EDIT, seq, edit.text()), writer).event();
    }

    /**
     * Deletes {@code user}'s own message {@code seq}, as a new event: its text, every text its edits brought, its
     * reactions, mentions and attachments (rows and files) are gone from storage; the events stay, as tombstones,
     * so the sequence keeps no gap.
     * 404 for a deleted message.
     */
    public ChatEvent delete(User user, long roomId, long seq) throws SQLException {
        var writer = new EventLog.Writer() {
            private List<String> files = List.of();

            @Override
            public boolean prepare(Connection c, Room room) throws SQLException {
                checkOwnMessage(c, user, roomId, seq);
                return true;
            }

            @Override
            public ChatEvent written(Connection c, ChatEvent event) throws SQLException {
                purgeSuperseded(c, roomId, seq, event.seq(), null, event.at());
                Reactions.purge(c, roomId, seq);
                Mentions.purge(c, roomId, seq);
                files = Attachments.purge(c, roomId, seq);
                return event;
            }

            @Override
            public void committed(ChatEvent event) {
                attachments.deleteFiles(files);
            }
        };
        return log.append(user, roomId, EventLog.Draft.of(ChatEvent.DELETE, seq, null), writer).event();
    }

    /** The message {@code seq} of the room as a reply shows it; 422 when there is none or it was deleted. */
    private static ChatEvent.Quote quote(Connection c, long roomId, long seq) throws SQLException {
        List<ChatEvent> found = select(c, "WHERE e.room_id = ? AND e.seq = ? AND e.kind = 'message'",
                List.of(roomId, seq));
        if (found.isEmpty()) {
            throw InvalidInput.field("replyTo", "no such message in the room", "value_error.reply");
        }
        ChatEvent message = found.getFirst();
        if (message.deletedAt() != null) {
            throw InvalidInput.field("replyTo", "that message was deleted", "value_error.reply");
        }
        return new ChatEvent.Quote(seq, message.userId(), message.username(), message.text(), false);
    }

    private static ChatEvent withQuote(Connection c, ChatEvent event) throws SQLException {
        if (event.replyTo() == null) {
            return event;
        }
        return new ChatEvent(event.room(), event.seq(), event.kind(), event.target(), event.userId(),
                event.username(), event.text(), event.clientId(), event.at(), null, null, event.replyTo(),
                quote(c, event.room(), event.replyTo()), null, event.attachments());
    }

    /**
     * The message row takes the edit's text (or, deleted, loses its own), and the edit events before {@code seq}
     * lose theirs: after this, the only copy of a message's text is its current one. ({@code seq <> ?}, not
     * {@code seq < ?}: SQLite's planner would then walk the room's events by sequence, not the target's index.)
     */
    private static void purgeSuperseded(Connection c, long roomId, long target, long seq, String text, long now)
            throws SQLException {
        // "deleted_at IS NULL" here as well as in the check before: cheap, and the rule is then in the write itself.
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

    static ChatEvent byClientId(Connection c, long roomId, long userId, String clientId)
            throws SQLException {
        if (clientId == null) {
            return null;
        }
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

    static List<ChatEvent> select(Connection c, String where, List<Object> params) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + FROM + where)) {
            for (int i = 0; i < params.size(); i++) {
                select.setObject(i + 1, params.get(i));
            }
            ResultSet rs = select.executeQuery();
            var events = new ArrayList<ChatEvent>();
            while (rs.next()) {
                Long replyTo = nullableLong(rs, 12);
                ChatEvent.Quote quote = replyTo == null || nullableLong(rs, 14) == null ? null
                        : new ChatEvent.Quote(rs.getLong(14), rs.getLong(15), rs.getString(16), rs.getString(17),
                        nullableLong(rs, 18) != null);
                events.add(new ChatEvent(rs.getLong(1), rs.getLong(2), rs.getString(3), nullableLong(rs, 4),
                        rs.getLong(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9),
                        nullableLong(rs, 10), nullableLong(rs, 11), replyTo, quote,
                        Reactions.counts(rs.getString(13)), null));
            }
            return withAttachments(c, events);
        }
    }

    /** The events with their messages' attachments: one query per room the list spans (one, but for search). */
    private static List<ChatEvent> withAttachments(Connection c, List<ChatEvent> events) throws SQLException {
        var byRoom = new java.util.TreeMap<Long, List<Long>>();
        for (ChatEvent event : events) {
            if (event.kind().equals(ChatEvent.MESSAGE) && event.deletedAt() == null) {
                byRoom.computeIfAbsent(event.room(), k -> new ArrayList<>()).add(event.seq());
            }
        }
        var found = new java.util.HashMap<List<Long>, List<Attachments.Info>>();
        for (var room : byRoom.entrySet()) {
            Attachments.ofMessages(c, room.getKey(), room.getValue())
                    .forEach((seq, files) -> found.put(List.of(room.getKey(), seq), files));
        }
        if (found.isEmpty()) {
            return events;
        }
        var complete = new ArrayList<ChatEvent>(events.size());
        for (ChatEvent event : events) {
            List<Attachments.Info> files = found.get(List.of(event.room(), event.seq()));
            complete.add(files == null ? event : event.withAttachments(files));
        }
        return complete;
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
