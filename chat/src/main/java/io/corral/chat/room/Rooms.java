package io.corral.chat.room;

import io.corral.app.Broker;
import io.corral.app.HttpError;
import io.corral.app.InvalidInput;
import io.corral.chat.account.AccessChange;
import io.corral.chat.account.User;
import io.corral.chat.limit.Limit;
import io.corral.chat.limit.RateHits;
import io.corral.chat.limit.TooMany;
import io.corral.chat.store.Database;
import io.corral.chat.text.TextField;
import io.corral.chat.text.Usernames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rooms and who is in them. Access rules, in one place ({@link #readable}, {@link #writable}): a public room is
 * readable by anyone signed in and writable by its members; a private room does not exist (404) for anyone who is
 * not a member, so its name and its existence never leak. Only the owner and admins invite to a private room.
 */
public final class Rooms {
    private static final int MAX_NAME = 64;
    public static final String OWNER = "owner";
    public static final String ADMIN = "admin";
    public static final String MEMBER = "member";
    private static final String ROOM_COLUMNS = "r.id, r.name, r.private, r.last_seq, m.role, "
            + "(SELECT COUNT(*) FROM events e WHERE e.room_id = r.id AND e.seq > m.last_read_seq "
            + "AND e.kind = 'message' AND e.deleted_at IS NULL AND e.user_id <> ?) AS unread";
    /** For access checks on the hot path (every post, every history page): no unread count to compute. */
    private static final String ACCESS_COLUMNS = "r.id, r.name, r.private, r.last_seq, m.role, 0 AS unread";

    private final Database database;
    private final Broker broker;
    private final Limit creations;

    public Rooms(Database database, Broker broker, Limit creations) {
        this.database = database;
        this.broker = broker;
        this.creations = creations;
    }

    public record NewRoom(String name, Boolean isPrivate) {
        public NewRoom {
            name = TextField.name("name", name == null ? null : name.strip(), MAX_NAME);
        }
    }

    /** A new room, {@code owner} its owner; 429 past the room-creation limit. */
    public Room create(User owner, NewRoom request) throws SQLException {
        boolean isPrivate = Boolean.TRUE.equals(request.isPrivate());
        return database.transaction(c -> {
            long now = System.currentTimeMillis();
            TooMany.refuseIf(RateHits.retryAfterInTable(c, "rooms", "owner_id", owner.id(), creations, now, false),
                    "too many rooms created; try again later");
            long id;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO rooms (name, private, owner_id, "
                    + "last_seq, created_at) VALUES (?, ?, ?, 0, ?)", Statement.RETURN_GENERATED_KEYS)) {
                insert.setString(1, request.name());
                insert.setBoolean(2, isPrivate);
                insert.setLong(3, owner.id());
                insert.setLong(4, now);
                insert.executeUpdate();
                ResultSet keys = insert.getGeneratedKeys();
                keys.next();
                id = keys.getLong(1);
            }
            addMember(c, id, owner.id(), "owner");
            return new Room(id, request.name(), isPrivate, 0, "owner", 0);
        });
    }

    /** The caller's rooms (with unread counts) and the public rooms the caller is not in. */
    public Map<String, List<Room>> list(User user) throws SQLException {
        return database.read(c -> {
            List<Room> mine = query(c, "SELECT " + ROOM_COLUMNS + " FROM rooms r JOIN members m "
                    + "ON m.room_id = r.id AND m.user_id = ? ORDER BY r.id", user.id(), user.id());
            List<Room> open = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT r.id, r.name, r.last_seq FROM rooms r "
                    + "WHERE r.private = ? AND NOT EXISTS (SELECT 1 FROM members m WHERE m.room_id = r.id "
                    + "AND m.user_id = ?) ORDER BY r.id")) {
                select.setBoolean(1, false);
                select.setLong(2, user.id());
                ResultSet rs = select.executeQuery();
                while (rs.next()) {
                    open.add(new Room(rs.getLong(1), rs.getString(2), false, rs.getLong(3), null, 0));
                }
            }
            return Map.of("mine", mine, "public", open);
        });
    }

    /** The room as {@code user} may see it: 404 for a private room {@code user} is not in. */
    public Room readable(User user, long roomId) throws SQLException {
        return database.read(c -> readable(c, user, roomId));
    }

    /** The room with the caller's unread count, for showing it (404 as {@link #readable}). */
    public Room describe(User user, long roomId) throws SQLException {
        return database.read(c -> {
            readable(c, user, roomId);
            return query(c, "SELECT " + ROOM_COLUMNS + " FROM rooms r LEFT JOIN members m ON m.room_id = r.id "
                    + "AND m.user_id = ? WHERE r.id = ?", user.id(), user.id(), roomId).getFirst();
        });
    }

    /** As {@link #readable(User, long)}, inside the caller's transaction. */
    public Room readable(Connection c, User user, long roomId) throws SQLException {
        List<Room> found = query(c, "SELECT " + ACCESS_COLUMNS
                + " FROM rooms r LEFT JOIN members m ON m.room_id = r.id AND m.user_id = ? WHERE r.id = ?",
                user.id(), roomId);
        if (found.isEmpty() || found.getFirst().isPrivate() && found.getFirst().role() == null) {
            throw new HttpError(404, "no such room");
        }
        return found.getFirst();
    }

    /** The room if {@code user} may post in it: a member. 403 in a public room not joined, 404 in a private one. */
    public Room writable(User user, long roomId) throws SQLException {
        Room room = readable(user, roomId);
        if (room.role() == null) {
            throw new HttpError(403, "join the room first");
        }
        return room;
    }

    public Room join(User user, long roomId) throws SQLException {
        return database.transaction(c -> {
            Room room = readable(c, user, roomId);
            if (room.role() == null) {
                addMember(c, roomId, user.id(), "member");
            }
            return readable(c, user, roomId);
        });
    }

    /** The caller leaves the room; its feed ends on every socket of theirs. */
    public void leave(User user, long roomId) throws SQLException {
        database.transaction(c -> {
            Room room = readable(c, user, roomId);
            if (room.role() == null) {
                throw new HttpError(404, "not a member");
            }
            if (OWNER.equals(room.role())) {
                throw new HttpError(409, "the owner cannot leave: hand the room over first (POST /api/rooms/"
                        + roomId + "/owner)");
            }
            return removeMember(c, roomId, user.id());
        });
        AccessChange.roomLost(broker, user.id(), roomId, "you left the room");
    }

    /** A role the owner gives: {@code admin} (invites, removes members) or {@code member}. */
    public record RoleChange(String role) {
        public RoleChange {
            if (!ADMIN.equals(role) && !MEMBER.equals(role)) {
                throw InvalidInput.field("role", "'admin' or 'member'", "value_error.role");
            }
        }
    }

    /** The owner makes a member an admin, or an admin a member again. */
    public void setRole(User owner, long roomId, long memberId, RoleChange change) throws SQLException {
        database.transaction(c -> {
            requireOwner(c, owner, roomId, "only the owner may grant or take back admin");
            String role = roleOf(c, roomId, memberId);
            if (role == null) {
                throw new HttpError(404, "not a member");
            }
            if (OWNER.equals(role)) {
                throw new HttpError(409, "the owner's role changes only by handing the room over");
            }
            return updateRole(c, roomId, memberId, change.role());
        });
    }

    public record Handover(Long userId) {
        public Handover {
            if (userId == null) {
                throw InvalidInput.field("userId", "Field required", "missing");
            }
        }
    }

    /** The owner hands the room to another member, and stays on as an admin. */
    public void handOver(User owner, long roomId, Handover handover) throws SQLException {
        long heir = handover.userId();
        database.transaction(c -> {
            requireOwner(c, owner, roomId, "only the owner may hand the room over");
            if (heir == owner.id()) {
                return 0;
            }
            if (roleOf(c, roomId, heir) == null) {
                throw InvalidInput.field("userId", "not a member of the room", "value_error.member");
            }
            updateRole(c, roomId, owner.id(), ADMIN);
            updateRole(c, roomId, heir, OWNER);
            try (PreparedStatement update = c.prepareStatement("UPDATE rooms SET owner_id = ? WHERE id = ?")) {
                update.setLong(1, heir);
                update.setLong(2, roomId);
                return update.executeUpdate();
            }
        });
    }

    private void requireOwner(Connection c, User user, long roomId, String refusal) throws SQLException {
        if (!OWNER.equals(readable(c, user, roomId).role())) {
            throw new HttpError(403, refusal);
        }
    }

    private static int updateRole(Connection c, long roomId, long userId, String role) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE members SET role = ? WHERE room_id = ? AND user_id = ?")) {
            update.setString(1, role);
            update.setLong(2, roomId);
            update.setLong(3, userId);
            return update.executeUpdate();
        }
    }

    /**
     * The owner or an admin removes {@code memberId} from the room (the owner cannot be removed); the room's feed
     * ends on every socket of theirs.
     */
    public void remove(User remover, long roomId, long memberId) throws SQLException {
        database.transaction(c -> {
            Room room = readable(c, remover, roomId);
            if (!"owner".equals(room.role()) && !"admin".equals(room.role())) {
                throw new HttpError(403, "only the owner or an admin may remove members");
            }
            String role = roleOf(c, roomId, memberId);
            if (role == null) {
                throw new HttpError(404, "not a member");
            }
            if (role.equals(OWNER)) {
                throw new HttpError(403, "the owner cannot be removed");
            }
            if (role.equals(ADMIN) && !OWNER.equals(room.role())) {
                throw new HttpError(403, "only the owner may remove an admin");
            }
            return removeMember(c, roomId, memberId);
        });
        AccessChange.roomLost(broker, memberId, roomId, "you were removed from the room");
    }

    /** Of {@code roomIds}, the rooms {@code user} is a member of (for the check of open feeds). */
    public java.util.Set<Long> memberships(User user, java.util.Collection<Long> roomIds) throws SQLException {
        var member = new java.util.HashSet<Long>();
        if (roomIds.isEmpty()) {
            return member;
        }
        database.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT room_id FROM members WHERE user_id = ? "
                    + "AND room_id IN (" + "?,".repeat(roomIds.size() - 1) + "?)")) {
                select.setLong(1, user.id());
                int i = 2;
                for (long room : roomIds) {
                    select.setLong(i++, room);
                }
                ResultSet rs = select.executeQuery();
                while (rs.next()) {
                    member.add(rs.getLong(1));
                }
            }
            return null;
        });
        return member;
    }

    private static int removeMember(Connection c, long roomId, long userId) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM members WHERE room_id = ? AND user_id = ?")) {
            delete.setLong(1, roomId);
            delete.setLong(2, userId);
            return delete.executeUpdate();
        }
    }

    private static String roleOf(Connection c, long roomId, long userId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT role FROM members WHERE room_id = ? AND user_id = ?")) {
            select.setLong(1, roomId);
            select.setLong(2, userId);
            ResultSet rs = select.executeQuery();
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Adds {@code username} to a room: its owner or an admin may, for private rooms. */
    public void invite(User inviter, long roomId, String username) throws SQLException {
        database.transaction(c -> {
            Room room = readable(c, inviter, roomId);
            if (!"owner".equals(room.role()) && !"admin".equals(room.role())) {
                throw new HttpError(403, "only the owner or an admin may invite");
            }
            Long invitee = null;
            try (PreparedStatement select = c.prepareStatement("SELECT id FROM users WHERE username_key = ? "
                    + "OR username = ? ORDER BY CASE WHEN username = ? THEN 0 ELSE 1 END LIMIT 1")) {
                String name = username == null ? "" : username;  // the exact name first, as login finds it
                select.setString(1, Usernames.key(name));
                select.setString(2, name);
                select.setString(3, name);
                ResultSet rs = select.executeQuery();
                if (rs.next()) {
                    invitee = rs.getLong(1);
                }
            }
            if (invitee == null) {
                throw InvalidInput.field("username", "no such user", "value_error.username");
            }
            if (roleOf(c, roomId, invitee) == null) {
                addMember(c, roomId, invitee, "member");
            }
            return null;
        });
    }

    public record Member(long id, String username, String role) {
    }

    public List<Member> members(User user, long roomId) throws SQLException {
        return database.read(c -> {
            readable(c, user, roomId);
            var members = new ArrayList<Member>();
            try (PreparedStatement select = c.prepareStatement("SELECT u.id, u.username, m.role FROM members m "
                    + "JOIN users u ON u.id = m.user_id WHERE m.room_id = ? ORDER BY u.username")) {
                select.setLong(1, roomId);
                ResultSet rs = select.executeQuery();
                while (rs.next()) {
                    members.add(new Member(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
            return members;
        });
    }

    /** Moves the caller's read marker forward (never back) to {@code seq}; 422 beyond the room's last event. */
    public void markRead(User user, long roomId, long seq) throws SQLException {
        database.transaction(c -> {
            Room room = readable(c, user, roomId);
            if (room.role() == null) {
                throw new HttpError(403, "join the room first");
            }
            if (seq < 0 || seq > room.lastSeq()) {
                throw InvalidInput.field("seq", "0 to the room's last seq (" + room.lastSeq() + ")",
                        "value_error.range");
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE members SET last_read_seq = ? "
                    + "WHERE room_id = ? AND user_id = ? AND last_read_seq < ?")) {
                update.setLong(1, seq);
                update.setLong(2, roomId);
                update.setLong(3, user.id());
                update.setLong(4, seq);
                return update.executeUpdate();
            }
        });
    }

    private static void addMember(Connection c, long roomId, long userId, String role) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO members (room_id, user_id, role, last_read_seq) VALUES (?, ?, ?, 0)")) {
            insert.setLong(1, roomId);
            insert.setLong(2, userId);
            insert.setString(3, role);
            insert.executeUpdate();
        }
    }

    private static List<Room> query(Connection c, String sql, long... params) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                select.setLong(i + 1, params[i]);
            }
            ResultSet rs = select.executeQuery();
            var rooms = new ArrayList<Room>();
            while (rs.next()) {
                String role = rs.getString(5);
                rooms.add(new Room(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getLong(4), role,
                        role == null ? 0 : rs.getLong(6)));
            }
            return rooms;
        }
    }
}
