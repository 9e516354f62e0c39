package io.corral.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.chat.store.Database;
import io.corral.chat.store.DatabaseSettings;
import io.corral.chat.store.Migrations;
import io.corral.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The API contract on MariaDB, the production database; and the schema check a server database gets. */
class MariaDbChatApiIT extends ChatApiContract {
    private Map<String, String> env;

    @Override
    Map<String, String> database() throws Exception {
        env = MariaDbServer.createDatabase();
        try (var database = Database.open(DatabaseSettings.fromEnvironment(env))) {
            assertThat(new Migrations(database).migrate()).as("the migrate command's work").isEqualTo(3);
        }
        return env;
    }

    @AfterAll
    void drop() {
        if (env != null) {
            MariaDbServer.dropDatabase(env);
        }
    }

    @Test
    void aWorkerRefusesADatabaseWhoseSchemaIsBehindAndSaysWhatToDo() {
        Map<String, String> empty = MariaDbServer.createDatabase();
        try {
            assertThatThrownBy(() -> TestServer.start(new ChatApp(empty)).close())
                    .hasMessageContaining("schema is at version none")
                    .hasMessageContaining("run the migrate command first");
        } finally {
            MariaDbServer.dropDatabase(empty);
        }
    }
}
