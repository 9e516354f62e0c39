package io.corral.chat;

import java.nio.file.Files;
import java.util.Map;

/** The API contract on the embedded default: SQLite in WAL mode, in a fresh file. */
class SqliteChatApiIT extends ChatApiContract {
    @Override
    Map<String, String> database() throws Exception {
        return Map.of("DATABASE_URL", "jdbc:sqlite:" + Files.createTempDirectory("chat-") + "/chat.db");
    }
}
