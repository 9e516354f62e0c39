package io.corral.chat.attachment;

import io.corral.app.HttpError;
import io.corral.app.InvalidInput;
import io.corral.chat.account.User;
import io.corral.chat.limit.Limit;
import io.corral.chat.limit.RateHits;
import io.corral.chat.limit.TooMany;
import io.corral.chat.store.Database;
import io.corral.chat.text.TextField;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files attached to messages, and avatars. An upload streams to a temporary file beside its final place (never
 * whole in memory), hashed (SHA-256, kept with the row) and typed by {@link ContentSniffer} as it goes; a file of
 * at most {@value #INLINE_MAX} bytes goes in the database row instead. Only once complete is it renamed to its id
 * and its row written, so a failed or refused upload leaves nothing behind. An upload is pending until a message of
 * its uploader in the same room names it; deleting that message deletes its attachments, rows and files.
 */
public final class Attachments {
    private static final Logger log = LoggerFactory.getLogger(Attachments.class);
    public static final int INLINE_MAX = 64 * 1024;
    public static final int MAX_PER_MESSAGE = 10;
    public static final int MAX_NAME = 255;
    /** An upload not attached within this long is deleted (by the next upload to the worker, anyone's). */
    private static final long PENDING_MILLIS = 24 * 3600_000L;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "id, name, content_type, size";

    private final Database database;
    private final Path directory;
    private final long maxBytes;
    private static final long SWEEP_MILLIS = 60_000L;
    private final Limit uploads;
    private final RateHits hits;
    private volatile long lastSweep;

    /**
     * Uploads are counted in {@code hits} ({@code rate_hits}, not the attachment rows: deleting a message or
     * replacing an avatar must not give the uploads back).
     */
    public Attachments(Database database, Path directory, long maxBytes, Limit uploads, RateHits hits) {
        this.database = database;
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.uploads = uploads;
        this.hits = hits;
    }

    /** The largest upload accepted (CHAT_UPLOAD_MAX): the route's streamed-body limit. */
    public long maxBytes() {
        return maxBytes;
    }

    /** An attachment as messages and the API show it; {@code url} is where members download it. */
    public record Info(String id, String name, String contentType, long size, String url) {
        Info(String id, String name, String contentType, long size) {
            this(id, name, contentType, size, Attachments.url(id));
        }
    }

    /** Where the attachment {@code id} is downloaded (an avatar too), or null for none. */
    public static String url(String id) {
        return id == null ? null : "/api/attachments/" + id;
    }

    /** What a download sends: the row's bytes ({@code data}) or the file holding them. */
    public record Download(Info info, byte[] data, Path file) {
        public boolean isImage() {
            return ContentSniffer.isImage(info.contentType());
        }
    }

    /** A file name as sent (the last path segment), checked like any name: 1 to 255 characters, no controls. */
    public static String fileName(String raw) {
        String name = raw == null ? "" : raw.strip();
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw InvalidInput.field("name", "a file name", "value_error.missing");
        }
        return TextField.name("name", name, MAX_NAME);
    }

    /**
     * Stores the upload {@code body} of {@code user} into room {@code roomId} (null: an avatar), pending until a
     * message names it. The caller has checked that {@code user} may post there.
     */
    public Info upload(User user, Long roomId, String name, InputStream body) throws SQLException, IOException {
        long now = System.currentTimeMillis();
        TooMany.refuseIf(hits.attempt(database, List.of(new RateHits.Hit(RateHits.bucket("upload",
                Long.toString(user.id())), uploads)), now), "too many uploads; try again later");
        deleteStalePending(now);
        long pending = database.read(c -> {
            try (PreparedStatement sum = c.prepareStatement("SELECT COALESCE(SUM(size), 0) FROM attachments "
                    + "WHERE user_id = ? AND seq IS NULL AND room_id IS NOT NULL")) {
                sum.setLong(1, user.id());
                ResultSet rs = sum.executeQuery();
                rs.next();
                return rs.getLong(1);
            }
        });
        if (roomId != null && pending >= MAX_PER_MESSAGE * maxBytes) {
            throw new HttpError(409, "too many uploads waiting for a message: send or let them expire first");
        }
        String id = newId();
        Stored stored = store(id, body);
        try {
            database.transaction(c -> {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO attachments (id, room_id, user_id, "
                        + "seq, name, content_type, size, sha256, data, created_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, "
                        + "?, ?)")) {
                    insert.setString(1, id);
                    insert.setObject(2, roomId);
                    insert.setLong(3, user.id());
                    insert.setString(4, name);
                    insert.setString(5, stored.type());
                    insert.setLong(6, stored.size());
                    insert.setString(7, stored.sha256());
                    insert.setBytes(8, stored.inline());
                    insert.setLong(9, now);
                    return insert.executeUpdate();
                }
            });
        } catch (SQLException | RuntimeException e) {
            deleteFile(id);
            throw e;
        }
        return new Info(id, name, stored.type(), stored.size());
    }

    private record Stored(String type, long size, String sha256, byte[] inline) {
    }

    /** Reads {@code body} to its end: into memory up to {@link #INLINE_MAX}, past that into the file named id. */
    private Stored store(String id, InputStream body) throws IOException {
        MessageDigest digest = sha256();
        byte[] head = body.readNBytes(INLINE_MAX + 1);
        digest.update(head);
        String type = ContentSniffer.type(head, Math.min(head.length, ContentSniffer.HEAD));
        if (head.length <= INLINE_MAX) {
            return new Stored(type, head.length, HexFormat.of().formatHex(digest.digest()), head);
        }
        Path partial = directory.resolve(id + ".partial");
        long size = head.length;
        try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(head));
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = body.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                out.write(ByteBuffer.wrap(buffer, 0, n));
                size += n;
            }
            out.force(true);  // on disk before the row says it is there
            Files.move(partial, directory.resolve(id), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        return new Stored(type, size, HexFormat.of().formatHex(digest.digest()), null);
    }

    /**
     * Inside a message's transaction: 422 unless every id is a pending upload of {@code user} to {@code roomId}
     * (at most {@value #MAX_PER_MESSAGE}).
     */
    public static List<Info> checkPending(Connection c, User user, long roomId, List<String> ids) throws SQLException {
        if (ids.size() > MAX_PER_MESSAGE) {
            throw InvalidInput.field("attachments", "at most " + MAX_PER_MESSAGE, "value_error.length");
        }
        var found = new ArrayList<Info>();
        for (String id : ids) {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM attachments WHERE id = ? "
                    + "AND user_id = ? AND room_id = ? AND seq IS NULL")) {
                select.setString(1, id);
                select.setLong(2, user.id());
                select.setLong(3, roomId);
                ResultSet rs = select.executeQuery();
                if (!rs.next()) {
                    throw InvalidInput.field("attachments", "no upload " + id + " of yours waits for this room",
                            "value_error.attachment");
                }
                found.add(info(rs));
            }
        }
        return found;
    }

    /** Inside a message's transaction: the pending uploads {@code ids} become message {@code seq}'s. */
    public static void attach(Connection c, long roomId, long seq, List<String> ids) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE attachments SET seq = ? WHERE id = ? AND room_id = ?"
                + " AND seq IS NULL")) {
            for (String id : ids) {
                update.setLong(1, seq);
                update.setString(2, id);
                update.setLong(3, roomId);
                if (update.executeUpdate() != 1) {
                    throw InvalidInput.field("attachments", "upload " + id + " is attached already",
                            "value_error.attachment");
                }
            }
        }
    }

    /** The attachments of messages {@code seqs} of a room, by seq (for history pages and feeds). */
    public static Map<Long, List<Info>> ofMessages(Connection c, long roomId, Collection<Long> seqs)
            throws SQLException {
        var bySeq = new HashMap<Long, List<Info>>();
        if (seqs.isEmpty()) {
            return bySeq;
        }
        try (PreparedStatement select = c.prepareStatement("SELECT seq, " + COLUMNS + " FROM attachments "
                + "WHERE room_id = ? AND seq IN (" + "?,".repeat(seqs.size() - 1) + "?) ORDER BY created_at, id")) {
            select.setLong(1, roomId);
            int i = 2;
            for (long seq : seqs) {
                select.setLong(i++, seq);
            }
            ResultSet rs = select.executeQuery();
            while (rs.next()) {
                bySeq.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Info(rs.getString(2),
                        rs.getString(3), rs.getString(4), rs.getLong(5)));
            }
        }
        return bySeq;
    }

    /** Inside a deletion's transaction: message {@code seq}'s attachment rows go; returns their ids. */
    public static List<String> purge(Connection c, long roomId, long seq) throws SQLException {
        var ids = new ArrayList<String>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id FROM attachments WHERE room_id = ? AND seq = ?")) {
            select.setLong(1, roomId);
            select.setLong(2, seq);
            ResultSet rs = select.executeQuery();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM attachments WHERE room_id = ? AND seq = ?")) {
            delete.setLong(1, roomId);
            delete.setLong(2, seq);
            delete.executeUpdate();
        }
        return ids;
    }

    /** After the commit that deleted their rows: the files of {@code ids}, where they had one. */
    public void deleteFiles(List<String> ids) {
        ids.forEach(this::deleteFile);
    }

    private void deleteFile(String id) {
        try {
            Files.deleteIfExists(directory.resolve(id));
        } catch (IOException e) {
            log.warn("attachment {}: could not delete its file: {}", id, e.toString());
        }
    }

    /**
     * The attachment {@code id} as {@code user} may download it: one of a room, if the room's rule
     * ({@code readable}) lets them read it and it is attached (a pending one, only its uploader); an avatar, anyone
     * signed in. 404 otherwise, the same answer as for no such id.
     */
    public Download open(User user, String id, RoomCheck readable) throws SQLException {
        record Row(Info info, Long room, long uploader, Long seq, byte[] data) {
        }
        Row row = database.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + ", room_id, user_id, seq, data "
                    + "FROM attachments WHERE id = ?")) {
                select.setString(1, id);
                ResultSet rs = select.executeQuery();
                if (!rs.next()) {
                    return null;
                }
                return new Row(info(rs), nullableLong(rs, 5), rs.getLong(6), nullableLong(rs, 7), rs.getBytes(8));
            }
        });
        if (row == null || row.room() != null && (row.seq() == null && row.uploader() != user.id()
                || !readable.mayRead(user, row.room()))) {
            throw new HttpError(404, "no such attachment");
        }
        return new Download(row.info(), row.data(), row.data() == null ? directory.resolve(id) : null);
    }

    /** The room rule downloads follow (Rooms.readable, without its 404 thrown). */
    @FunctionalInterface
    public interface RoomCheck {
        boolean mayRead(User user, long roomId) throws SQLException;
    }

    /** Deletes the row (and file) of {@code id}: a replaced avatar. */
    public void delete(String id) throws SQLException {
        database.transaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM attachments WHERE id = ?")) {
                delete.setString(1, id);
                return delete.executeUpdate();
            }
        });
        deleteFile(id);
    }

    /** Uploads that no message took within a day (anyone's; at most once a minute per worker): rows and files go. */
    private void deleteStalePending(long now) throws SQLException {
        if (now - lastSweep < SWEEP_MILLIS) {
            return;
        }
        lastSweep = now;
        deletePending("created_at < ?", now - PENDING_MILLIS);
    }

    /** A removed account's uploads that no message took. */
    public void deletePending(User user) throws SQLException {
        deletePending("user_id = ?", user.id());
    }

    private void deletePending(String condition, long value) throws SQLException {
        List<String> stale = database.transaction(c -> {
            var ids = new ArrayList<String>();
            try (PreparedStatement select = c.prepareStatement("SELECT id FROM attachments WHERE seq IS NULL "
                    + "AND room_id IS NOT NULL AND " + condition)) {
                select.setLong(1, value);
                ResultSet rs = select.executeQuery();
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM attachments WHERE id = ?")) {
                for (String id : ids) {
                    delete.setString(1, id);
                    delete.executeUpdate();
                }
            }
            return ids;
        });
        deleteFiles(stale);
    }

    private static Info info(ResultSet rs) throws SQLException {
        return new Info(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4));
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /** 16 random bytes, URL-safe: unguessable, and a file name on any filesystem. */
    private static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
