package io.corral.chat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/** The features contract on MariaDB, the production database. */
class MariaDbChatFeaturesIT extends ChatFeaturesContract {
    private Map<String, String> env;

    @Override
    Map<String, String> database() throws Exception {
        env = MariaDbServer.createMigratedDatabase();
        return env;
    }

    @AfterAll
    void drop() {
        if (env != null) {
            MariaDbServer.dropDatabase(env);
        }
    }
}
