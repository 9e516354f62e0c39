package io.corral.chat.account;

import io.corral.app.HttpError;
import io.corral.app.InvalidInput;
import io.corral.chat.attachment.Attachments;
import io.corral.chat.attachment.ContentSniffer;
import io.corral.chat.store.Database;
import io.corral.chat.text.TextField;
import io.corral.chat.text.Usernames;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What people see of each other: username, display name, avatar, since when. Any signed-in user may look anyone
 * up. An avatar is an image upload (PNG, JPEG, GIF or WebP by its bytes, at most {@value #AVATAR_MAX} bytes).
 */
public final class Profiles {
    public static final int MAX_DISPLAY_NAME = 64;
    public static final int MAX_FOUND = 20;
    public static final int AVATAR_MAX = 1 << 20;
    private static final String LAST_CHARACTER = Character.toString(Character.MAX_CODE_POINT);

    private final Database database;

    public Profiles(Database database) {
        this.database = database;
    }

    /** {@code avatar}: where to download the avatar, or null. */
    public record Profile(long id, String username, String displayName, String avatar, long createdAt) {
    }

    /** {@code PATCH /api/me}: a display name, or null to go back to the username. */
    public record Change(String displayName) {
        public Change {
            displayName = displayName == null ? null
                    : TextField.name("displayName", displayName.strip(), MAX_DISPLAY_NAME);
        }
    }

    public Profile change(User user, Change change) throws SQLException {
        database.transaction(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE users SET display_name = ? WHERE id = ?")) {
                update.setString(1, change.displayName());
                update.setLong(2, user.id());
                return update.executeUpdate();
            }
        });
        return byName(user.username());
    }

    /** Makes the image {@code body} the user's avatar (415 for what is not an image); the one it replaces goes. */
    public Profile setAvatar(User user, Attachments attachments, InputStream body) throws SQLException, IOException {
        Attachments.Info image = attachments.upload(user, null, "avatar", body);
        if (!ContentSniffer.isImage(image.contentType())) {
            attachments.delete(image.id());
            throw new HttpError(415, "an avatar is a PNG, JPEG, GIF or WebP image");
        }
        replaceAvatar(user, attachments, image.id());
        return byName(user.username());
    }

    /** The user has no avatar any more. */
    public void removeAvatar(User user, Attachments attachments) throws SQLException {
        replaceAvatar(user, attachments, null);
    }

    private void replaceAvatar(User user, Attachments attachments, String id) throws SQLException {
        String previous = database.transaction(c -> {
            String old;
            try (PreparedStatement select = c.prepareStatement("SELECT avatar_id FROM users WHERE id = ?"
                    + database.lockingRead())) {
                select.setLong(1, user.id());
                ResultSet rs = select.executeQuery();
                old = rs.next() ? rs.getString(1) : null;
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE users SET avatar_id = ? WHERE id = ?")) {
                update.setString(1, id);
                update.setLong(2, user.id());
                update.executeUpdate();
            }
            return old;
        });
        if (previous != null) {
            attachments.delete(previous);
        }
    }

    /** The profile of {@code username} (compared as logins compare names); 404 when there is none. */
    public Profile byName(String username) throws SQLException {
        List<Profile> found = database.read(c -> select(c,
                "WHERE (username = ? OR username_key = ?) AND username_key IS NOT NULL "
                + "ORDER BY CASE WHEN username = ? THEN 0 ELSE 1 END LIMIT 1", username, Usernames.key(username),
                username));
        if (found.isEmpty()) {
            throw new HttpError(404, "no such user");
        }
        return found.getFirst();
    }

    /** {@code GET /api/users?q=}: the people whose name starts with {@code prefix}, by name, at most 20. */
    public List<Profile> find(String prefix) throws SQLException {
        String key = prefix == null ? "" : Usernames.key(prefix.strip());
        if (key.isEmpty() || key.length() > Usernames.MAX * 4) {
            throw InvalidInput.field("q", "the start of a username", "value_error.query");
        }
        // A range, not LIKE: '%' and '_' in the prefix stay literal, and the index on username_key serves it.
        return database.read(c -> select(c, "WHERE username_key >= ? AND username_key < ? "
                + "ORDER BY username_key LIMIT " + MAX_FOUND, key, key + LAST_CHARACTER));
    }

    private static List<Profile> select(Connection c, String where, String... params) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, username, display_name, avatar_id, created_at FROM users " + where)) {
            for (int i = 0; i < params.length; i++) {
                select.setString(i + 1, params[i]);
            }
            ResultSet rs = select.executeQuery();
            var profiles = new ArrayList<Profile>();
            while (rs.next()) {
                String avatar = rs.getString(4);
                profiles.add(new Profile(rs.getLong(1), rs.getString(2), rs.getString(3),
                        Attachments.url(avatar), rs.getLong(5)));
            }
            return profiles;
        }
    }
}
