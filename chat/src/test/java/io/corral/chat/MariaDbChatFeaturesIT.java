package io.corral.chat;

import io.corral.chat.store.Database;
import io.corral.chat.store.DatabaseSettings;
import io.corral.chat.store.Migrations;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/** The features contract on MariaDB, the production database. */
class MariaDbChatFeaturesIT extends ChatFeaturesContract {
    private Map<String, String> env;

    @Override
    Map<String, String> database() throws Exception {
        env = MariaDbServer.createDatabase();
        try (var database = Database.open(DatabaseSettings.fromEnvironment(env))) {
            new Migrations(database).migrate();
        }
        return env;
    }

    @AfterAll
    void drop() {
        if (env != null) {
            MariaDbServer.dropDatabase(env);
        }
    }
}
