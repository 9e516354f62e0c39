package io.corral.chat.room;

import io.corral.app.Broker;
import io.corral.app.HttpError;
import io.corral.app.InvalidInput;
import io.corral.chat.account.AccessChange;
import io.corral.chat.account.User;
import io.corral.chat.attachment.Attachments;
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
import tools.jackson.databind.json.JsonMapper;

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
    /** Two parameters, the caller's id twice. */
    private static final String ROOM_COLUMNS = "r.id, r.name, r.private, r.last_seq, m.role, "
            + "(SELECT COUNT(*) FROM events e WHERE e.room_id = r.id AND e.seq > m.last_read_seq "
            + "AND e.kind = 'message' AND e.deleted_at IS NULL AND e.user_id <> ?) AS unread, r.kind, r.archived_at, "
            + "(SELECT COUNT(*) FROM mentions x WHERE x.user_id = ? AND x.room_id = r.id AND x.seq > m.last_read_seq) "
            + "AS mentions";
    /** For access checks on the hot path (every post, every history page): no unread count to compute. */
    private static final String ACCESS_COLUMNS = "r.id, r.name, r.private, r.last_seq, m.role, 0 AS unread, r.kind, "
            + "r.archived_at, 0 AS mentions";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Database database;
    private final Broker broker;
    private final Limit creations;
    private final Limit directs;
    private final int directMax;

    /** {@code directMax}: the most people a direct conversation holds, its opener included. */
    public Rooms(Database database, Broker broker, Limit creations, Limit directs, int directMax) {
        this.database = database;
        this.broker = broker;
        this.creations = creations;
        this.directs = directs;
        this.directMax = directMax;
    }

    public record NewRoom(String name, Boolean isPrivate) {
        public NewRoom {
            name = checkName(name);
        }
    }

    /** A room's name, stripped: 1 to 64 characters on one line (422 on "name"). */
    public static String checkName(String name) {
        return TextField.name("name", name == null ? null : name.strip(), MAX_NAME);
    }

    /** A new room, {@code owner} its owner; 429 past the room-creation limit. */
    public Room create(User owner, NewRoom request) throws SQLException {
        boolean isPrivate = Boolean.TRUE.equals(request.isPrivate());
        return database.transaction(c -> {
            long now = System.currentTimeMillis();
            TooMany.refuseIf(RateHits.retryAfterInRows(c, "rooms", "owner_id = ? AND kind = 'room'", owner.id(),
                    creations, now, false), "too many rooms created; try again later");
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
            return new Room(id, request.name(), isPrivate, Room.ROOM, false, 0, "owner", 0, 0, null);
        });
    }

    /**
     * The caller's rooms ({@code mine}) and direct conversations ({@code direct}), with unread and mention counts,
     * and the public rooms the caller is not in ({@code public}).
     */
    public Map<String, List<Room>> list(User user) throws SQLException {
        return database.read(c -> {
            var mine = new ArrayList<Room>();
            var direct = new ArrayList<Room>();
            for (Room room : query(c, "SELECT " + ROOM_COLUMNS + " FROM rooms r JOIN members m "
                    + "ON m.room_id = r.id AND m.user_id = ? ORDER BY r.id", user.id(), user.id(), user.id())) {
                if (Room.DIRECT.equals(room.kind())) {
                    direct.add(room.withMembers(memberNames(c, room.id())));
                } else {
                    mine.add(room);
                }
            }
            List<Room> open = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT r.id, r.name, r.last_seq FROM rooms r "
                    + "WHERE r.private = ? AND NOT EXISTS (SELECT 1 FROM members m WHERE m.room_id = r.id "
                    + "AND m.user_id = ?) ORDER BY r.id")) {
                select.setBoolean(1, false);
                select.setLong(2, user.id());
                ResultSet rs = select.executeQuery();
                while (rs.next()) {
                    open.add(new Room(rs.getLong(1), rs.getString(2), false, Room.ROOM, false, rs.getLong(3), null, 0,
                            0, null));
                }
            }
            return Map.of("mine", mine, "direct", direct, "public", open);
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
            Room room = query(c, "SELECT " + ROOM_COLUMNS + " FROM rooms r LEFT JOIN members m ON m.room_id = r.id "
                    + "AND m.user_id = ? WHERE r.id = ?", user.id(), user.id(), user.id(), roomId).getFirst();
            return Room.DIRECT.equals(room.kind()) ? room.withMembers(memberNames(c, roomId)) : room;
        });
    }

    /** Whether {@code user} may read the room (for downloads of its attachments). */
    public boolean mayRead(User user, long roomId) throws SQLException {
        try {
            readable(user, roomId);
            return true;
        } catch (HttpError e) {
            return false;
        }
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
            if (Room.DIRECT.equals(room.kind())) {
                throw new HttpError(403, "the members of a direct conversation are fixed: open another one");
            }
            if (!"owner".equals(room.role()) && !"admin".equals(room.role())) {
                throw new HttpError(403, "only the owner or an admin may invite");
            }
            Long invitee = userId(c, username);
            if (invitee == null) {
                throw InvalidInput.field("username", "no such user", "value_error.username");
            }
            if (roleOf(c, roomId, invitee) == null) {
                addMember(c, roomId, invitee, "member");
            }
            return null;
        });
    }

    /** The id of the user named {@code username} (the exact name first, then by key, as login finds it), or null. */
    private static Long userId(Connection c, String username) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT id FROM users WHERE username_key = ? "
                + "OR username = ? ORDER BY CASE WHEN username = ? THEN 0 ELSE 1 END LIMIT 1")) {
            String name = username == null ? "" : username;
            select.setString(1, Usernames.key(name));
            select.setString(2, name);
            select.setString(3, name);
            ResultSet rs = select.executeQuery();
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    /** {@code POST /api/dm}: the people to talk with (the opener is always one of them). */
    public record NewDirect(List<String> usernames) {
        public NewDirect {
            if (usernames == null || usernames.isEmpty() || usernames.stream().anyMatch(java.util.Objects::isNull)) {
                throw InvalidInput.field("usernames", "a list of usernames", "value_error.missing");
            }
            usernames = List.copyOf(usernames);
        }
    }

    /**
     * The direct conversation of the opener and {@code request}'s people: the one they have if there is one (the
     * opener back in it, if they had left), else a new one, private, every member a plain member (no one invites,
     * removes or renames). One per set of people, across workers: the unique {@code direct_key} lets one of two
     * racing openers in, and the other finds that one.
     */
    public Room openDirect(User opener, NewDirect request) throws SQLException {
        var ids = new java.util.TreeSet<Long>(List.of(opener.id()));
        var names = new java.util.TreeSet<String>(List.of(opener.username()));
        database.read(c -> {
            for (String username : request.usernames()) {
                Long id = userId(c, username);
                if (id == null) {
                    throw InvalidInput.field("usernames", "no such user: " + username, "value_error.username");
                }
                if (ids.add(id)) {
                    names.add(username);
                }
            }
            return null;
        });
        if (ids.size() > directMax) {
            throw InvalidInput.field("usernames", "a direct conversation holds at most " + directMax
                    + " people, you included", "value_error.length");
        }
        String key = ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        Opened opened;
        try {
            opened = openDirect(opener, ids, key, String.join(", ", names));
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw e;
            }
            opened = openDirect(opener, ids, key, String.join(", ", names));  // another worker made it: find it
        }
        for (long member : opened.added()) {
            if (member != opener.id()) {
                io.corral.chat.account.Inbox.send(broker, member, Map.of("type", "room_added",
                        "room", opened.room()));
            }
        }
        return describe(opener, opened.room());
    }

    /** The conversation, and who was made a member of it now (all of them for a new one). */
    private record Opened(long room, List<Long> added) {
    }

    /**
     * A new conversation gets all its people; an existing one only its opener back, if they had left it: someone
     * who left stays out until they open it again themselves, and is not sent a frame each time another does.
     */
    private Opened openDirect(User opener, java.util.Set<Long> ids, String key, String name) throws SQLException {
        return database.transaction(c -> {
            Long existing = null;
            try (PreparedStatement select = c.prepareStatement("SELECT id FROM rooms WHERE direct_key = ?")) {
                select.setString(1, key);
                ResultSet rs = select.executeQuery();
                if (rs.next()) {
                    existing = rs.getLong(1);
                }
            }
            long now = System.currentTimeMillis();
            boolean created = existing == null;
            if (created) {
                TooMany.refuseIf(RateHits.retryAfterInRows(c, "rooms", "owner_id = ? AND kind = 'direct'",
                        opener.id(), directs, now, false), "too many direct conversations started; try again later");
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO rooms (name, private, owner_id, "
                        + "last_seq, created_at, kind, direct_key) VALUES (?, ?, ?, 0, ?, 'direct', ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
                    int length = name.codePointCount(0, name.length());
                    insert.setString(1, length <= MAX_NAME ? name : name.substring(0, name.offsetByCodePoints(0,
                            MAX_NAME - 1)) + "…");
                    insert.setBoolean(2, true);
                    insert.setLong(3, opener.id());
                    insert.setLong(4, now);
                    insert.setString(5, key);
                    insert.executeUpdate();
                    ResultSet keys = insert.getGeneratedKeys();
                    keys.next();
                    existing = keys.getLong(1);
                }
            }
            var added = new ArrayList<Long>();
            for (long member : created ? ids : java.util.Set.of(opener.id())) {
                if (roleOf(c, existing, member) == null) {
                    addMember(c, existing, member, MEMBER);
                    added.add(member);
                }
            }
            return new Opened(existing, added);
        });
    }

    /**
     * A member as the room's members see them: {@code lastReadSeq}, their read marker ("seen by"); {@code avatar},
     * where to download their avatar, or null.
     */
    public record Member(long id, String username, String displayName, String avatar, String role,
                         long lastReadSeq) {
    }

    public List<Member> members(User user, long roomId) throws SQLException {
        return database.read(c -> {
            readable(c, user, roomId);
            var members = new ArrayList<Member>();
            try (PreparedStatement select = c.prepareStatement("SELECT u.id, u.username, u.display_name, m.role, "
                    + "m.last_read_seq, u.avatar_id FROM members m JOIN users u ON u.id = m.user_id "
                    + "WHERE m.room_id = ? ORDER BY u.username")) {
                select.setLong(1, roomId);
                ResultSet rs = select.executeQuery();
                while (rs.next()) {
                    members.add(new Member(rs.getLong(1), rs.getString(2), rs.getString(3),
                            Attachments.url(rs.getString(6)), rs.getString(4),
                            rs.getLong(5)));
                }
            }
            return members;
        });
    }

    /**
     * Moves the caller's read marker forward (never back) to {@code seq}; 422 beyond the room's last event. A move
     * is told to the room's sockets as a {@code read} frame (not an event of the log: receipts are state).
     */
    public void markRead(User user, long roomId, long seq) throws SQLException {
        int moved = database.transaction(c -> {
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
        if (moved > 0) {
            broker.publish("room:" + roomId, JSON.writeValueAsBytes(Map.of("type", "read", "room", roomId,
                    "userId", user.id(), "username", user.username(), "seq", seq)));
        }
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

    /** The usernames of a room's members, sorted. */
    private static List<String> memberNames(Connection c, long roomId) throws SQLException {
        var names = new ArrayList<String>();
        try (PreparedStatement select = c.prepareStatement("SELECT u.username FROM members m JOIN users u "
                + "ON u.id = m.user_id WHERE m.room_id = ? ORDER BY u.username")) {
            select.setLong(1, roomId);
            ResultSet rs = select.executeQuery();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
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
                rs.getLong(8);
                boolean archived = !rs.wasNull();
                rooms.add(new Room(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getString(7), archived,
                        rs.getLong(4), role, role == null ? 0 : rs.getLong(6), role == null ? 0 : rs.getLong(9),
                        null));
            }
            return rooms;
        }
    }
}
