package io.corral.chat.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.chat.MariaDbServer;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Version 2 of the schema on a database that version 1 filled: what earlier releases kept of deleted and edited
 * messages is purged, and accounts whose names differ only by case survive the new unique key.
 */
class SchemaV2MigrationIT {

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("sqlite"), Arguments.of("mariadb"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void version2PurgesWhatVersion1KeptAndKeepsAccountsThatDifferByCase(String kind) throws Exception {
        Map<String, String> env = kind.equals("sqlite")
                ? Map.of("DATABASE_URL", "jdbc:sqlite:" + Files.createTempDirectory("chat-") + "/chat.db")
                : MariaDbServer.createDatabase();
        try (var database = Database.open(DatabaseSettings.fromEnvironment(env))) {
            Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/migration/" + kind)
                    .target("1").load().migrate();
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO users (id, username, password_hash, created_at) VALUES "
                        + "(1, 'own2', 'h', 1), (2, 'Own2', 'h', 2), (3, 'ann', 'h', 3)");
                s.executeUpdate("INSERT INTO tokens (token_hash, user_id, created_at) VALUES ('" + "a".repeat(64)
                        + "', 3, 1000)");
                s.executeUpdate("INSERT INTO rooms (id, name, private, owner_id, last_seq, created_at) "
                        + "VALUES (1, 'r', " + (kind.equals("sqlite") ? "0" : "FALSE") + ", 3, 6, 1)");
                s.executeUpdate("INSERT INTO events (room_id, seq, kind, target_seq, user_id, text, created_at) VALUES "
                        + "(1, 1, 'message', NULL, 3, 'gone soon', 10), (1, 2, 'message', NULL, 3, 'first draft', 20),"
                        + "(1, 3, 'edit', 2, 3, 'second draft', 30), (1, 4, 'delete', 1, 3, NULL, 40),"
                        + "(1, 5, 'edit', 2, 3, 'final text', 50), (1, 6, 'message', NULL, 3, 'untouched', 60)");
            }
            assertThat(new Migrations(database).migrate()).as("versions 2 and 3").isEqualTo(2);
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
                assertThat(rows(s, "SELECT seq, text, edited_at, deleted_at FROM events ORDER BY seq")).containsExactly(
                        "1|null|null|40", "2|final text|50|null", "3|null|null|null", "4|null|null|null",
                        "5|final text|null|null", "6|untouched|null|null");
                assertThat(rows(s, "SELECT id, username_key FROM users ORDER BY id"))
                        .containsExactly("1|own2", "2|own2#2", "3|ann");
                assertThat(Long.parseLong(rows(s, "SELECT last_used_at FROM tokens").getFirst()))
                        .as("a session's use counted from the upgrade, not from its creation")
                        .isGreaterThan(System.currentTimeMillis() - 3_600_000L);
            }
        } finally {
            if (kind.equals("mariadb")) {
                MariaDbServer.dropDatabase(env);
            }
        }
    }

    private static List<String> rows(Statement s, String sql) throws Exception {
        var rows = new ArrayList<String>();
        ResultSet rs = s.executeQuery(sql);
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            var row = new StringBuilder();
            for (int i = 1; i <= columns; i++) {
                row.append(i > 1 ? "|" : "").append(rs.getString(i));
            }
            rows.add(row.toString());
        }
        return rows;
    }
}
