package io.corral.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.chat.store.Database;
import io.corral.chat.store.DatabaseSettings;
import io.corral.chat.store.Migrations;
import io.corral.testing.TestServer;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The database crashes under a serving worker: 503s with a reason, a live worker, and recovery by itself. */
class ChatDatabaseOutageIT {

    @Test
    void whileTheDatabaseIsDownRequestsGet503AndServiceResumesWhenItReturns() throws Exception {
        try (var mariadb = PrivateMariaDb.start()) {
            try (var c = DriverManager.getConnection(mariadb.url(""), "root", "")) {
                c.createStatement().execute("CREATE DATABASE chat");
            }
            var env = Map.of("DATABASE_URL", mariadb.url("chat"), "DATABASE_USER", "root", "DATABASE_PASSWORD", "",
                    "CHAT_ARGON2_MEMORY_KIB", "1024");
            try (var database = Database.open(DatabaseSettings.fromEnvironment(env))) {
                new Migrations(database).migrate();
            }
            try (var server = TestServer.start(new ChatApp(env))) {
                var alice = ChatClient.signUp(server.port(), "alice");
                long room = alice.call("POST", "/api/rooms", Map.of("name", "ops")).body().get("id").asLong();
                String messages = "/api/rooms/" + room + "/messages";
                assertThat(alice.call("POST", messages, Map.of("text", "before")).body().get("seq").asLong())
                        .isEqualTo(1);

                mariadb.kill();
                var down = alice.call("POST", messages, Map.of("text", "during"));
                assertThat(down.status()).isEqualTo(503);
                assertThat(down.body().get("error").asString()).contains("database unavailable");
                assertThat(down.header("Retry-After")).isEqualTo("2");
                assertThat(alice.get("/ready").status()).isEqualTo(503);
                assertThat(alice.get("/health").status()).as("liveness does not depend on the database")
                        .isEqualTo(200);

                mariadb.startAgain();
                await().atMost(Duration.ofSeconds(30)).until(() -> alice.get("/ready").status() == 200);
                var after = alice.call("POST", messages, Map.of("text", "after"));
                assertThat(after.status()).isEqualTo(201);
                assertThat(after.body().get("seq").asLong()).as("nothing half-written in between").isEqualTo(2);
            }
        }
    }
}
