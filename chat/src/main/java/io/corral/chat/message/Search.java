package io.corral.chat.message;

import io.corral.app.InvalidInput;
import io.corral.chat.account.User;
import io.corral.chat.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Full-text search of the messages the caller can read now (their rooms and the public ones), newest first, in
 * pages. SQLite answers from the FTS5 table {@code message_search}, MariaDB from the FULLTEXT index on
 * {@code events.text}; both hold only current texts (an edit replaces, a deletion removes), so purged text is never
 * found. A query is its words, each matched as a word prefix, all of them required; operators of either engine's
 * syntax are not passed through.
 */
public final class Search {
    public static final int MAX_PAGE = 50;
    public static final int MAX_WORDS = 8;
    private static final Pattern WORD_BREAK = Pattern.compile("[^\\p{L}\\p{N}\\p{M}_]+");
    private static final String READABLE = " AND (r.private = ? OR EXISTS (SELECT 1 FROM members m "
            + "WHERE m.room_id = e.room_id AND m.user_id = ?))";

    private final Database database;

    public Search(Database database) {
        this.database = database;
    }

    /** A hit: the message as history shows it, and its room's name. */
    public record Hit(String roomName, ChatEvent message) {
    }

    /**
     * {@code before}: the {@code next} of the previous page, an opaque cursor ({@code at:room:seq}) so pages neither
     * skip nor repeat as messages arrive.
     */
    public record Page(List<Hit> hits, String next) {
    }

    public Page search(User user, String query, String before, int limit) throws SQLException {
        List<String> words = words(query);
        if (limit < 1 || limit > MAX_PAGE) {
            throw InvalidInput.field("limit", "1 to " + MAX_PAGE, "value_error.range");
        }
        long[] cursor = cursor(before);
        boolean sqlite = database.settings().isSqlite();
        String from = sqlite
                ? "FROM message_search s JOIN events e ON e.room_id = (s.rowid >> 32) "
                + "AND e.seq = (s.rowid & 4294967295) JOIN rooms r ON r.id = e.room_id WHERE message_search MATCH ?"
                : "FROM events e JOIN rooms r ON r.id = e.room_id WHERE MATCH (e.text) AGAINST (? IN BOOLEAN MODE) "
                + "AND e.text IS NOT NULL";
        String sql = "SELECT r.name, e.room_id, e.seq " + from + " AND e.kind = 'message'" + READABLE
                + (cursor == null ? "" : " AND (e.created_at < ? OR e.created_at = ? AND (e.room_id < ? "
                + "OR e.room_id = ? AND e.seq < ?))")
                + " ORDER BY e.created_at DESC, e.room_id DESC, e.seq DESC LIMIT " + (limit + 1);
        String expression = sqlite ? ftsExpression(words) : booleanExpression(words);
        return database.read(c -> {
            var found = new ArrayList<long[]>();
            var names = new ArrayList<String>();
            try (PreparedStatement select = c.prepareStatement(sql)) {
                int i = 1;
                select.setString(i++, expression);
                select.setBoolean(i++, false);
                select.setLong(i++, user.id());
                if (cursor != null) {
                    select.setLong(i++, cursor[0]);
                    select.setLong(i++, cursor[0]);
                    select.setLong(i++, cursor[1]);
                    select.setLong(i++, cursor[1]);
                    select.setLong(i, cursor[2]);
                }
                ResultSet rs = select.executeQuery();
                while (rs.next()) {
                    names.add(rs.getString(1));
                    found.add(new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
            var hits = new ArrayList<Hit>();
            for (int i = 0; i < Math.min(limit, found.size()); i++) {
                hits.add(new Hit(names.get(i), message(c, found.get(i)[0], found.get(i)[1])));
            }
            String next = null;
            if (found.size() > limit) {
                ChatEvent last = hits.getLast().message();
                next = last.at() + ":" + last.room() + ":" + last.seq();
            }
            return new Page(hits, next);
        });
    }

    private static ChatEvent message(Connection c, long room, long seq) throws SQLException {
        return Messages.select(c, "WHERE e.room_id = ? AND e.seq = ?", List.of(room, seq)).getFirst();
    }

    /**
     * The query's words: letters, digits, marks and '_' (what both engines index as a word), 1 to 8 of them, each
     * of 2 characters at least with a letter or digit in it: a one-letter prefix would match nearly every message,
     * and a word of marks or '_' alone is no token to either engine.
     */
    static List<String> words(String query) {
        var words = new ArrayList<String>();
        for (String word : WORD_BREAK.split(query == null ? "" : query.strip())) {
            boolean hasLetterOrDigit = word.codePoints().anyMatch(Character::isLetterOrDigit);
            if (word.codePointCount(0, word.length()) >= 2 && hasLetterOrDigit && !words.contains(word)) {
                words.add(word);
            }
        }
        if (words.isEmpty() || words.size() > MAX_WORDS) {
            throw InvalidInput.field("q", "1 to " + MAX_WORDS + " words of 2 characters or more", "value_error.query");
        }
        return words;
    }

    /** FTS5: each word a quoted prefix ({@code "word"*}); juxtaposed, all are required. */
    static String ftsExpression(List<String> words) {
        return String.join(" ", words.stream().map(w -> "\"" + w + "\"*").toList());
    }

    /** InnoDB boolean mode: each word required, as a prefix ({@code +word*}). */
    static String booleanExpression(List<String> words) {
        return String.join(" ", words.stream().map(w -> "+" + w + "*").toList());
    }

    private static long[] cursor(String before) {
        if (before == null) {
            return null;
        }
        String[] parts = before.split(":");
        try {
            if (parts.length == 3) {
                return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])};
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw InvalidInput.field("before", "the next of a previous page", "value_error.cursor");
    }
}
