package io.corral.chat;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The MariaDB the tests use: the local server (.ci/run installs and starts it, with a user {@code corral} allowed
 * on databases named {@code corral_test_*}), or the one {@code CHAT_TEST_MARIADB} names
 * ({@code jdbc:mariadb://host:port/}). Each test class gets a database of its own, dropped afterwards. Without a
 * server the tests are skipped with a line saying so; in CI ({@code CI=true}) they fail instead.
 */
public final class MariaDbServer {
    static final String SERVER = System.getenv().getOrDefault("CHAT_TEST_MARIADB", "jdbc:mariadb://127.0.0.1:3306/");
    static final String USER = "corral";
    static final String PASSWORD = "corral";

    private MariaDbServer() {
    }

    /** A fresh empty database; its name is in the returned environment's DATABASE_URL. */
    public static Map<String, String> createDatabase() {
        String name = "corral_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(SERVER, USER, PASSWORD)) {
            c.createStatement().execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            String message = "MariaDB is not reachable at " + SERVER + " as " + USER + " (" + e.getMessage()
                    + "): .ci/run shows how to install and set it up";
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true and " + message);
            }
            System.err.println("SKIPPED (" + message + ")");
            Assumptions.abort(message);
        }
        return Map.of("DATABASE_URL", SERVER + name, "DATABASE_USER", USER, "DATABASE_PASSWORD", PASSWORD);
    }

    /** A fresh database at this release's schema, as the migrate command leaves it. */
    public static Map<String, String> createMigratedDatabase() throws Exception {
        Map<String, String> env = createDatabase();
        try (var database = io.corral.chat.store.Database.open(
                io.corral.chat.store.DatabaseSettings.fromEnvironment(env))) {
            new io.corral.chat.store.Migrations(database).migrate();
        }
        return env;
    }

    public static void dropDatabase(Map<String, String> env) {
        String url = env.get("DATABASE_URL");
        String name = url.substring(url.lastIndexOf('/') + 1);
        try (Connection c = DriverManager.getConnection(SERVER, USER, PASSWORD)) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + name);
        } catch (SQLException ignored) {
            // the server went away: nothing left to drop
        }
    }
}
