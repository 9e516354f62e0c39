package io.corral.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.testing.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ChatAppIT {

    @Test
    void healthAnswersHealthy() throws Exception {
        try (var server = TestServer.start(new ChatApp())) {
            HttpResponse<String> response = server.get("/health");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(response.body()).isEqualTo("{\"status\":\"healthy\"}");
        }
    }
}
