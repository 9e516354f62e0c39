package io.corral.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.testing.RawClient;
import io.corral.testing.RawResponse;
import io.corral.testing.TestServer;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Handler.streamed} routes: the body reaches the handler as it arrives, is bounded by the route's own limit
 * (not {@code --limit-request-body}, 1000 bytes here), and an unread rest is swallowed so the connection goes on.
 */
class StreamedUploadIT {
    private static final EngineTestApp APP = new EngineTestApp();
    private static final int LIMIT = EngineTestApp.UPLOAD_LIMIT;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(APP, "--limit-request-body", "1000");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clear() {
        APP.uploads.clear();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void aBodyAtTheRoutesLimitIsStreamedToTheHandlerWithALengthOrChunked() throws Exception {
        byte[] body = random(LIMIT);
        try (var client = new RawClient(server.port())) {
            client.send(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + LIMIT + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            client.send(body);
            RawResponse response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("\"bytes\":" + LIMIT)
                    .contains(sha256(body));

            var chunked = new java.io.ByteArrayOutputStream();
            chunked.write("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes());
            for (int at = 0; at < body.length; at += 100_000) {
                int n = Math.min(100_000, body.length - at);
                chunked.write((Integer.toHexString(n) + "\r\n").getBytes());
                chunked.write(body, at, n);
                chunked.write("\r\n".getBytes());
            }
            chunked.write("0\r\n\r\n".getBytes());
            client.send(chunked.toByteArray());
            RawResponse second = client.read();
            assertThat(second.status()).as("the same connection, chunked").isEqualTo(200);
            assertThat(new String(second.body(), StandardCharsets.UTF_8)).contains(sha256(body));
        }
    }

    @Test
    void aDeclaredLengthOverTheLimitIs413BeforeTheHandlerRunsAndNoContinueIsSent() throws Exception {
        try (var client = new RawClient(server.port())) {
            client.send("POST /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: " + (LIMIT + 1)
                    + "\r\n\r\n");
            RawResponse response = client.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("connection")).isEqualTo("close");
        }
        assertThat(APP.uploads.poll(200, TimeUnit.MILLISECONDS)).as("the handler never ran").isNull();
        try (var client = new RawClient(server.port())) {
            client.send("POST /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertThat(client.readHead().status()).as("within the limit: go on").isEqualTo(100);
            client.send("hello");
            assertThat(client.read().status()).isEqualTo(200);
        }
    }

    @Test
    void aChunkedBodyPastTheLimitIs413AndTheHandlersReadFails() throws Exception {
        try (var client = new RawClient(server.port())) {
            client.send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            byte[] chunk = random(64 * 1024);
            String size = Integer.toHexString(chunk.length) + "\r\n";
            for (long sent = 0; sent <= LIMIT; sent += chunk.length) {
                client.send(size.getBytes());
                client.send(chunk);
                client.send("\r\n".getBytes());
            }
            RawResponse response = client.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(client.isClosedByServer()).isTrue();
        }
        assertThat(APP.uploads.poll(10, TimeUnit.SECONDS)).startsWith("HttpError: request body larger than");
    }

    @Test
    void anAnswerGivenBeforeTheBodyIsReadLeavesTheConnectionUsable() throws Exception {
        try (var client = new RawClient(server.port())) {
            client.send("PUT /upload/refused HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n");
            client.send(random(200_000));
            assertThat(client.read().status()).isEqualTo(403);
            client.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.read().status()).as("the unread body was swallowed, not run as a request")
                    .isEqualTo(200);
        }
    }

    @Test
    void aHandlerThatAnswersBeforeReadingNeverInvitesTheBodyItWasAskedAbout() throws Exception {
        try (var client = new RawClient(server.port())) {
            client.send("PUT /upload/refused HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 200000"
                    + "\r\n\r\n");
            RawResponse response = client.read();
            assertThat(response.status()).as("the answer, with no 100 Continue before it").isEqualTo(403);
            assertThat(response.header("connection")).as("the body never came: nothing to swallow")
                    .isEqualTo("close");
        }
        try (var client = new RawClient(server.port())) {
            client.send("POST /upload HTTP/1.1\r\nHost: x\r\nExpect: something-else\r\nContent-Length: 5\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(417);
        }
    }

    @Test
    void aClientThatGoesAwayMidBodyEndsTheHandlersReadWithAnError() throws Exception {
        try (var socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n").getBytes());
            out.write(random(50_000));
            out.flush();
        }
        assertThat(APP.uploads.poll(10, TimeUnit.SECONDS)).startsWith("IOException: the connection closed");
    }

    @Test
    void otherRoutesKeepTheServersLimit() throws Exception {
        try (var client = new RawClient(server.port())) {
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n" + "b".repeat(1001));
            assertThat(client.read().status()).isEqualTo(413);
        }
    }
}
