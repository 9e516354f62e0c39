package io.corral.chat.message;

import io.corral.app.HttpError;
import io.corral.app.InvalidInput;
import io.corral.chat.account.User;
import io.corral.chat.room.Room;
import io.corral.chat.room.Rooms;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The owner renames or archives a room (archived: readable, not writable, until unarchived). Each change is an
 * event of the room's log ({@code renamed}, {@code archived}, {@code unarchived}), so every open client learns it
 * live and a resuming one in order. A direct conversation has no owner's changes.
 */
public final class RoomChanges {
    private final EventLog log;

    public RoomChanges(EventLog log) {
        this.log = log;
    }

    /** {@code PATCH /api/rooms/{id}}: a new name, archived true or false, or both. */
    public record Change(String name, Boolean archived) {
        public Change {
            if (name != null) {
                name = Rooms.checkName(name);
            }
            if (name == null && archived == null) {
                throw InvalidInput.field("name", "give a name or archived", "value_error.missing");
            }
        }
    }

    /** The events the change made, in order (none when it was all in place already). */
    public List<ChatEvent> apply(User owner, long roomId, Change change) throws SQLException {
        var events = new ArrayList<ChatEvent>();
        // Unarchive first, archive last: a rename in the same call is made while the room takes changes.
        if (Boolean.FALSE.equals(change.archived())) {
            append(owner, roomId, ChatEvent.UNARCHIVED, null, events);
        }
        if (change.name() != null) {
            append(owner, roomId, ChatEvent.RENAMED, change.name(), events);
        }
        if (Boolean.TRUE.equals(change.archived())) {
            append(owner, roomId, ChatEvent.ARCHIVED, null, events);
        }
        return events;
    }

    private void append(User owner, long roomId, String kind, String name, List<ChatEvent> events)
            throws SQLException {
        var writer = new EventLog.Writer() {
            @Override
            public boolean prepare(Connection c, Room room) throws SQLException {
                if (Room.DIRECT.equals(room.kind())) {
                    throw new HttpError(403, "a direct conversation cannot be renamed or archived");
                }
                if (!Rooms.OWNER.equals(room.role())) {
                    throw new HttpError(403, "only the owner may rename or archive the room");
                }
                return switch (kind) {
                    case ChatEvent.RENAMED -> !room.name().equals(name);
                    case ChatEvent.ARCHIVED -> !room.archived();
                    default -> room.archived();
                };
            }

            @Override
            public ChatEvent written(Connection c, ChatEvent event) throws SQLException {
                try (PreparedStatement update = c.prepareStatement(kind.equals(ChatEvent.RENAMED)
                        ? "UPDATE rooms SET name = ? WHERE id = ?" : "UPDATE rooms SET archived_at = ? WHERE id = ?")) {
                    if (kind.equals(ChatEvent.RENAMED)) {
                        update.setString(1, name);
                    } else {
                        update.setObject(1, kind.equals(ChatEvent.ARCHIVED) ? event.at() : null);
                    }
                    update.setLong(2, roomId);
                    update.executeUpdate();
                }
                return event;
            }
        };
        ChatEvent event = log.append(owner, roomId, EventLog.Draft.of(kind, null, name), writer).event();
        if (event != null) {
            events.add(event);
        }
    }
}
