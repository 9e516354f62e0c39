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
import org.junit.jupiter.api.Test;

/**
 * Regressions for the defects a review of the engine found: ways to hold a connection forever, requests smuggled past
 * a refusal, and answers out of order. Each test failed before its fix.
 */
class HardeningIT {

    @Test
    void requestLineSentByteByByteStillGets408() throws Exception {
        try (var server = TestServer.start(new EngineTestApp(), "--header-timeout", "1");
             var client = new RawClient(server.port())) {
            client.send("GET /hit/");
            Thread drip = client.drip("a", 100); // never a whole line: each byte used to restart the header clock
            try {
                RawResponse response = client.read();
                assertThat(response.status()).isEqualTo(408);
                assertThat(client.isClosedByServer()).isTrue();
            } finally {
                drip.interrupt();
            }
        }
    }

    @Test
    void bodyThatNeverComesGets408() throws Exception {
        try (var server = TestServer.start(new EngineTestApp(), "--header-timeout", "1");
             var client = new RawClient(server.port())) {
            RawResponse response =
                    client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc").read();
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.text()).contains("request body");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void aBodyThatTricklesIsCutWithin10SecondsAtTheDefaultRate() throws Exception {
        // A byte every 2 s: no read ever waits --header-timeout (10 s), so only the body's average rate can stop it.
        try (var server = TestServer.start(new EngineTestApp());
             var client = new RawClient(server.port())) {
            client.setReadTimeoutMillis(10_000);  // the bound: an answer later than this fails the read
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
            Thread drip = client.drip("a", 2000);
            try {
                RawResponse response = client.read();
                assertThat(response.status()).isEqualTo(408);
                assertThat(response.text()).contains("--min-body-rate 240");
                assertThat(client.isClosedByServer()).isTrue();
            } finally {
                drip.interrupt();
            }
        }
    }

    @Test
    void aSlowButHonestUploadIsNotCut() throws Exception {
        // 1 MiB at 64 KiB/s: 16 s, well above 240 bytes/s. The pauses pace the upload; they synchronise nothing.
        try (var server = TestServer.start(new EngineTestApp());
             var client = new RawClient(server.port())) {
            int size = 1 << 20;
            int piece = 4096;
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n");
            byte[] bytes = new byte[piece];
            java.util.Arrays.fill(bytes, (byte) 'u');
            for (int sent = 0; sent < size; sent += piece) {
                client.send(bytes);
                Thread.sleep(1000L * piece / (64 * 1024));
            }
            RawResponse response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).hasSize(size);
        }
    }

    @Test
    void clientThatStopsReadingIsDisconnectedAfterSendTimeout() throws Exception {
        try (var server = TestServer.start(new EngineTestApp(), "--send-timeout", "1");
             var client = new RawClient(server.port())) {
            // 2 GB, never read: the stream fills every buffer at once, then the worker must let go. (Small lines
            // took longer than the test's patience to fill the buffers on a loaded machine.)
            client.send("GET /blob/2048 HTTP/1.1\r\nHost: x\r\n\r\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> server.openConnections() == 0);
        }
    }

    @Test
    void clientStillSendingAnOversizedBodyReadsThe413() throws Exception {
        try (var server = TestServer.start(new EngineTestApp(), "--limit-request-body", "1000")) {
            // The JDK's client writes the whole body before it reads its answer: closing outright under its write
            // reset the connection, and it failed ("header parser received no bytes") instead of showing the 413.
            var client = HttpClient.newHttpClient();
            var request = HttpRequest.newBuilder(server.uri("/echo")).timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[70 * 1024])).build();
            for (int attempt = 0; attempt < 30; attempt++) {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(413);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
        }
    }

    @Test
    void bodyOfARefusedExpectationIsNotRunAsARequest() throws Exception {
        var app = new EngineTestApp();
        try (var server = TestServer.start(app); var client = new RawClient(server.port())) {
            String smuggled = "GET /hit/smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
            RawResponse response = client.send("POST /hit/outer HTTP/1.1\r\nHost: x\r\nExpect: bogus\r\n"
                    + "Content-Length: " + smuggled.length() + "\r\n\r\n" + smuggled).read();
            assertThat(response.status()).isEqualTo(417);
            assertThat(client.isClosedByServer()).as("nothing after the refusal").isTrue();
            assertThat(app.hits).doesNotContainKey("smuggled").doesNotContainKey("outer");
        }
    }

    @Test
    void bodyOverTheLimitAnnouncedWithExpectIsNotRunAsARequest() throws Exception {
        var app = new EngineTestApp();
        try (var server = TestServer.start(app, "--limit-request-body", "10");
             var client = new RawClient(server.port())) {
            String smuggled = "GET /hit/smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
            RawResponse response = client.send("POST /hit/outer HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                    + "Content-Length: " + smuggled.length() + "\r\n\r\n" + smuggled).read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(client.isClosedByServer()).isTrue();
            assertThat(app.hits).doesNotContainKey("smuggled");
        }
    }

    @Test
    void refusalOfAPipelinedRequestWaitsForTheAnswerBeforeIt() throws Exception {
        try (var server = TestServer.start(new EngineTestApp()); var client = new RawClient(server.port())) {
            client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\n\r\n"); // the second lacks Host
            RawResponse first = client.read();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.text()).isEqualTo("{\"slept\":1000}");
            assertThat(client.read().status()).isEqualTo(400);
        }
    }

    @Test
    void continueForAPipelinedRequestWaitsForTheAnswerBeforeIt() throws Exception {
        try (var server = TestServer.start(new EngineTestApp()); var client = new RawClient(server.port())) {
            client.send("GET /count/3 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
            RawResponse streamed = client.read();
            assertThat(streamed.text()).isEqualTo("1\n2\n3\n");
            assertThat(client.read().status()).isEqualTo(100);
            assertThat(client.send("ok").read().text()).isEqualTo("ok");
        }
    }

    @Test
    void requestPipelinedAfterAHeadOfAStreamIsNotRun() throws Exception {
        var app = new EngineTestApp();
        try (var server = TestServer.start(app); var client = new RawClient(server.port())) {
            client.send("HEAD /count/3 HTTP/1.1\r\nHost: x\r\n\r\nGET /hit/after HTTP/1.1\r\nHost: x\r\n\r\n");
            RawResponse head = client.readHead();
            assertThat(head.header("connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
            assertThat(app.hits).doesNotContainKey("after");
        }
    }

    @Test
    void errorWhoseRenderingFailsIsStillAnswered500() throws Exception {
        try (var server = TestServer.start(new EngineTestApp()); var client = new RawClient(server.port())) {
            assertThat(client.send("GET /unrenderable-error HTTP/1.1\r\nHost: x\r\n\r\n").read().status())
                    .isEqualTo(500);
            assertThat(client.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
        }
    }
}
