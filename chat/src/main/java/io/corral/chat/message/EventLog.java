package io.corral.chat.message;

import io.corral.app.Broker;
import io.corral.app.HttpError;
import io.corral.chat.account.User;
import io.corral.chat.limit.Limit;
import io.corral.chat.limit.RateHits;
import io.corral.chat.limit.TooMany;
import io.corral.chat.room.Room;
import io.corral.chat.room.Rooms;
import io.corral.chat.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends to a room's log: the one place an event gets its sequence number. The transaction first locks the room's
 * row ({@code FOR UPDATE} on MariaDB; SQLite's writing transactions take turns), so every append to a room, on any
 * worker, queues there; what it reads after that is what the appends before it committed, and the number it takes,
 * {@code last_seq + 1}, has no gap and commits in order. After the commit, the event is published on the broker topic
 * {@code room:ID}, where every worker's subscribed sockets get it.
 */
public final class EventLog {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Database database;
    private final Rooms rooms;
    private final Broker broker;
    private final Limit posts;

    public EventLog(Database database, Rooms rooms, Broker broker, Limit posts) {
        this.database = database;
        this.rooms = rooms;
        this.broker = broker;
        this.posts = posts;
    }

    public static String topic(long roomId) {
        return "room:" + roomId;
    }

    /** The event row's own columns; what else an event writes, its {@link Writer} does. */
    public record Draft(String kind, Long target, String text, String clientId, Long replyTo) {
        public static Draft of(String kind, Long target, String text) {
            return new Draft(kind, target, text, null, null);
        }
    }

    /** The kind-specific part of an append. Every method runs inside the transaction but {@link #committed}. */
    public interface Writer {
        /**
         * After the access checks, before a number is taken: refuse by throwing, or return false when the change is
         * already in place (then there is no event).
         */
        default boolean prepare(Connection c, Room room) throws SQLException {
            return true;
        }

        /** After the event's row is written: the rows that go with it; the event as it is sent. */
        default ChatEvent written(Connection c, ChatEvent event) throws SQLException {
            return event;
        }

        /** After the commit and the publish. */
        default void committed(ChatEvent event) {
        }
    }

    /** The result: the event, and whether this call made it (false: an earlier one, or none for no change). */
    public record Appended(ChatEvent event, boolean created) {
    }

    public Appended append(User user, long roomId, Draft draft, Writer writer) throws SQLException {
        Appended appended = database.transaction(c -> {
            long last = lockRoom(c, roomId);
            // A retry of what is stored already gets it back, even after the room was archived or the author left:
            // refused, the client would mark a message failed that was sent, and a person would type it again.
            if (draft.clientId() != null) {
                ChatEvent earlier = Messages.byClientId(c, roomId, user.id(), draft.clientId());
                if (earlier != null) {
                    return new Appended(earlier, false);
                }
            }
            Room room = rooms.readable(c, user, roomId);
            if (room.role() == null) {
                throw new HttpError(403, "join the room first");
            }
            // An author may still delete (purge) a message of an archived room; nothing else changes it.
            String kind = draft.kind();
            if (room.archived() && !ChatEvent.UNARCHIVED.equals(kind) && !ChatEvent.DELETE.equals(kind)) {
                throw new HttpError(409, "the room is archived: it can be read, not changed");
            }
            if (!writer.prepare(c, room)) {
                return new Appended(null, false);
            }
            long now = System.currentTimeMillis();
            checkRate(c, user, now);
            long seq = last + 1;
            try (PreparedStatement bump = c.prepareStatement("UPDATE rooms SET last_seq = ? WHERE id = ?")) {
                bump.setLong(1, seq);
                bump.setLong(2, roomId);
                bump.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO events (room_id, seq, kind, "
                    + "target_seq, user_id, text, client_id, created_at, reply_to) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setLong(1, roomId);
                insert.setLong(2, seq);
                insert.setString(3, draft.kind());
                insert.setObject(4, draft.target());
                insert.setLong(5, user.id());
                insert.setString(6, draft.text());
                insert.setString(7, draft.clientId());
                insert.setLong(8, now);
                insert.setObject(9, draft.replyTo());
                insert.executeUpdate();
            }
            var event = new ChatEvent(roomId, seq, draft.kind(), draft.target(), user.id(), user.username(),
                    draft.text(), draft.clientId(), now, null, null, draft.replyTo(), null, null, null);
            return new Appended(writer.written(c, event), true);
        });
        if (appended.created()) {
            broker.publish(topic(roomId), JSON.writeValueAsBytes(appended.event()));
            writer.committed(appended.event());
        }
        return appended;
    }

    /** The room's last seq, its row locked for this transaction; 404 for no such room. */
    private long lockRoom(Connection c, long roomId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT last_seq FROM rooms WHERE id = ?"
                + database.lockingRead())) {
            select.setLong(1, roomId);
            ResultSet rs = select.executeQuery();
            if (!rs.next()) {
                throw new HttpError(404, "no such room");
            }
            return rs.getLong(1);
        }
    }

    /** 429 when {@code user} has changed the log (in any room) as often as the posting limit allows. */
    private void checkRate(Connection c, User user, long now) throws SQLException {
        // Locking on MariaDB: the room lock does not cover the user's posts in other rooms.
        long wait = RateHits.retryAfterInTable(c, "events", "user_id", user.id(), posts, now,
                !database.settings().isSqlite());
        TooMany.refuseIf(wait, "posting too fast; try again in " + wait + " s");
    }
}
