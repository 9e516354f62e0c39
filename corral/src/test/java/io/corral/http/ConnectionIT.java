package io.corral.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.testing.RawClient;
import io.corral.testing.RawResponse;
import io.corral.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** HTTP/1.1 connection behaviour on a real worker socket: keep-alive, pipelining, framing, timeouts, capacity. */
class ConnectionIT {
    private static final String HEALTH = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";

    @Test
    void keepAliveConnectionServesRequestAfterRequest() throws Exception {
        try (var server = TestServer.start(new EngineTestApp()); var client = new RawClient(server.port())) {
            for (int i = 0; i < 5; i++) {
                RawResponse response = client.send(HEALTH).read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.text()).isEqualTo("{\"status\":\"healthy\"}");
                assertThat(response.header("connection")).isNull();
            }
            assertThat(server.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInRequestOrder() throws Exception {
        try (var server = TestServer.start(new EngineTestApp()); var client = new RawClient(server.port())) {
            // The first is the slowest: a server answering as handlers finish would send it last.
            client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /items/2 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nthird"
                    + HEALTH);
            assertThat(client.read().text()).isEqualTo("{\"slept\":1000}");
            assertThat(client.read().text()).contains("\"id\":\"2\"");
            assertThat(client.read().text()).isEqualTo("third");
            assertThat(client.read().text()).isEqualTo("{\"status\":\"healthy\"}");
        }
    }

    @Test
    void chunkedRequestBodyIsReassembled() throws Exception {
        try (var server = TestServer.start(new EngineTestApp()); var client = new RawClient(server.port())) {
            RawResponse response = client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n").read();
            assertThat(response.text()).isEqualTo("hello world");
        }
    }

    @Test
    void streamedResponseIsSentChunked() throws Exception {
        try (var server = TestServer.start(new EngineTestApp()); var client = new RawClient(server.port())) {
            RawResponse response = client.send("GET /count/5 HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(response.chunked()).isTrue();
            assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(response.text()).isEqualTo("1\n2\n3\n4\n5\n");
            assertThat(client.send(HEALTH).read().status()).as("connection reusable after a chunked body")
                    .isEqualTo(200);
        }
    }

    @Test
    void headGetsTheHeadersOfGetAndNoBody() throws Exception {
        try (var server = TestServer.start(new EngineTestApp()); var client = new RawClient(server.port())) {
            RawResponse head = client.send("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("20");
            // Had the server sent a body, its bytes would now be read as this response's status line.
            RawResponse next = client.send(HEALTH).read();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.text()).isEqualTo("{\"status\":\"healthy\"}");
        }
    }

    @Test
    void everyResponseCarriesDateAndServer() throws Exception {
        try (var server = TestServer.start(new EngineTestApp()); var client = new RawClient(server.port())) {
            for (String request : new String[] {HEALTH, "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"}) {
                RawResponse response = client.send(request).read();
                assertThat(response.header("server")).isEqualTo("corral");
                assertThat(response.header("date")).matches("\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
            }
        }
    }

    @Test
    void expectContinueGets100BeforeTheBodyIsSent() throws Exception {
        try (var server = TestServer.start(new EngineTestApp()); var client = new RawClient(server.port())) {
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(100);
            RawResponse response = client.send("hello").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("hello");
        }
    }

    @Test
    void expectContinueOverTheBodyLimitGets413WithoutSendingTheBody() throws Exception {
        try (var server = TestServer.start(new EngineTestApp(), "--limit-request-body", "100");
             var client = new RawClient(server.port())) {
            RawResponse response = client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n"
                    + "Expect: 100-continue\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void connectionsBeyondWorkerConnectionsGet503AndAreClosed() throws Exception {
        try (var server = TestServer.start(new EngineTestApp(), "--worker-connections", "2");
             var first = new RawClient(server.port()); var second = new RawClient(server.port())) {
            assertThat(first.send(HEALTH).read().status()).isEqualTo(200);
            assertThat(second.send(HEALTH).read().status()).isEqualTo(200);

            try (var third = new RawClient(server.port())) {
                RawResponse refused = third.send(HEALTH).read();
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("connection")).isEqualTo("close");
                assertThat(third.isClosedByServer()).isTrue();
            }

            first.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 1);
            try (var fourth = new RawClient(server.port())) {
                assertThat(fourth.send(HEALTH).read().status()).as("a slot freed up").isEqualTo(200);
            }
        }
    }

    @Test
    void headersDrippedSlowerThanTheHeaderTimeoutGet408() throws Exception {
        try (var server = TestServer.start(new EngineTestApp(), "--header-timeout", "1");
             var client = new RawClient(server.port())) {
            client.send("GET /health HTTP/1.1\r\nHost: x\r\n");
            Thread drip = client.drip("X", 100); // a header byte every 100 ms, never the blank line
            try {
                RawResponse response = client.read();
                assertThat(response.status()).isEqualTo(408);
                assertThat(response.header("connection")).isEqualTo("close");
                assertThat(client.isClosedByServer()).isTrue();
            } finally {
                drip.interrupt();
            }
        }
    }

    @Test
    void aHeaderTimeoutShorterThanKeepAliveStillRunsOutOnAKeptAliveConnection() throws Exception {
        // After the first answer the 60 s keep-alive clock runs; the connection then idles past the 0.5 s header
        // timeout (the idle time is the scenario, not a wait for an event), and the dripped head that follows must
        // get its 408 from the header clock, not from the longer one (the client gives up reading after 10 s).
        try (var server = TestServer.start(new EngineTestApp(), "--keep-alive", "60", "--header-timeout", "0.5");
             var client = new RawClient(server.port())) {
            client.setReadTimeoutMillis(10_000);
            assertThat(client.send(HEALTH).read().status()).isEqualTo(200);
            Thread.sleep(1_000);
            client.send("GET /health HTTP/1.1\r\nHost: x\r\n");
            Thread drip = client.drip("X", 100);
            try {
                assertThat(client.read().status()).isEqualTo(408);
            } finally {
                drip.interrupt();
            }
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedQuietlyAfterKeepAlive() throws Exception {
        try (var server = TestServer.start(new EngineTestApp(), "--keep-alive", "0.3");
             var client = new RawClient(server.port())) {
            assertThat(client.send(HEALTH).read().status()).isEqualTo(200);
            assertThat(client.closedCleanly()).as("closed with FIN and no 408 for an idle connection").isTrue();
        }
    }

    @Test
    void keepAliveZeroClosesAfterEachResponse() throws Exception {
        try (var server = TestServer.start(new EngineTestApp(), "--keep-alive", "0");
             var client = new RawClient(server.port())) {
            RawResponse response = client.send(HEALTH).read();
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void handlerThatThrowsGets500WithoutItsDetailAndTheWorkerServesOn() throws Exception {
        try (var server = TestServer.start(new EngineTestApp()); var client = new RawClient(server.port())) {
            RawResponse failed = client.send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.text()).isEqualTo("{\"error\":\"internal server error\",\"status\":500}");
            assertThat(client.send(HEALTH).read().status()).isEqualTo(200);
        }
    }

    @Test
    void blockedHandlerDoesNotDelayAConcurrentRequestOnTheSameEventLoop() throws Exception {
        var app = new EngineTestApp();
        try (var server = TestServer.start(app, "--threads", "1")) {
            HttpClient http = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<String>> blocked = http.sendAsync(
                    HttpRequest.newBuilder(server.uri("/wait")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(app.waiting.await(10, TimeUnit.SECONDS)).as("the /wait handler is blocking").isTrue();

            HttpResponse<String> health = server.get("/health");

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(blocked).as("the blocking handler is still blocked").isNotDone();
            app.release.countDown();
            assertThat(blocked.get(10, TimeUnit.SECONDS).body()).isEqualTo("{\"released\":true}");
        }
    }
}
