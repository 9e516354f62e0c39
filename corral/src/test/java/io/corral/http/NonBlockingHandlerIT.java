package io.corral.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.testing.RawClient;
import io.corral.testing.RawResponse;
import io.corral.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Handler.nonBlocking}: the handler runs on the event loop, and everything a handler on a virtual thread
 * gets still holds (errors, pipelining order, streamed bodies larger than the write budget).
 */
class NonBlockingHandlerIT {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(new EngineTestApp());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aNonBlockingHandlerRunsOnThePlatformEventLoopThreadAndADefaultOneOnAVirtualThread() throws Exception {
        HttpResponse<String> onLoop = server.get("/loop/thread");
        assertThat(onLoop.statusCode()).isEqualTo(200);
        assertThat(onLoop.body()).contains("\"virtual\":false");
        assertThat(server.get("/thread").body()).isEqualTo("{\"virtual\":true}");
    }

    @Test
    void aFailingNonBlockingHandlerIs500WithoutItsDetailAndTheConnectionServesOn() throws Exception {
        try (var client = new RawClient(server.port())) {
            RawResponse failed = client.send("GET /loop/boom HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.text()).doesNotContain("secret");
            assertThat(client.send("GET /loop/items/7 HTTP/1.1\r\nHost: x\r\n\r\n").read().text())
                    .isEqualTo("{\"id\":\"7\"}");
        }
    }

    @Test
    void pipelinedRequestsMixingBothKindsAreAnsweredInOrder() throws Exception {
        try (var client = new RawClient(server.port())) {
            // Answers written from inside the read let the next request in from inside the write: order must hold.
            client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /loop/items/1 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /loop/items/2 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /items/3 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /loop/items/4 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.read().text()).isEqualTo("{\"slept\":1000}");
            assertThat(client.read().text()).isEqualTo("{\"id\":\"1\"}");
            assertThat(client.read().text()).isEqualTo("{\"id\":\"2\"}");
            assertThat(client.read().text()).contains("\"id\":\"3\"");
            assertThat(client.read().text()).isEqualTo("{\"id\":\"4\"}");
        }
    }

    @Test
    void aStreamFromANonBlockingHandlerToAClientThatDoesNotReadLeavesTheEventLoopFree() throws Exception {
        try (var stuck = new RawClient(server.port())) {
            // 64 MiB to a client that reads only the head: more than every buffer between them holds. Were the body
            // written on the (only) event loop, the loop would wait for itself and never serve the request below.
            RawResponse head = stuck.send("GET /loop/blob/64 HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(server.get("/loop/items/9").body()).isEqualTo("{\"id\":\"9\"}");
        }
    }

    @Test
    void aStreamedBodyFromANonBlockingHandlerIsWrittenInFull() throws Exception {
        // 4 MiB: far past the stream's 256 KiB of writes in flight, which would never drain if it waited on the loop.
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.uri("/loop/blob/4")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSize(4 * 1024 * 1024);
    }
}
