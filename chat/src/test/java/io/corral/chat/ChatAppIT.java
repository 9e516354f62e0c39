package io.corral.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatAppIT {

    @Test
    void healthAnswersHealthy() throws Exception {
        // A database of its own: the default, ./data/chat.db, would land in the module's directory.
        var env = Map.of("DATABASE_URL", "jdbc:sqlite:" + Files.createTempDirectory("chat-") + "/chat.db");
        try (var server = TestServer.start(new ChatApp(env))) {
            HttpResponse<String> response = server.get("/health");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(response.body()).isEqualTo("{\"status\":\"healthy\"}");
        }
    }
}
