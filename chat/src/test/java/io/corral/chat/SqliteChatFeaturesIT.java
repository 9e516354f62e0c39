package io.corral.chat;

import java.nio.file.Files;
import java.util.Map;

/** The features contract on SQLite, the embedded default. */
class SqliteChatFeaturesIT extends ChatFeaturesContract {
    @Override
    Map<String, String> database() throws Exception {
        return Map.of("DATABASE_URL", "jdbc:sqlite:" + Files.createTempDirectory("chat-") + "/chat.db");
    }
}
