package io.corral.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.testing.RawWebSocket;
import io.corral.testing.TestServer;
import io.corral.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 in the worker, against the JDK's WebSocket client (what a Java user has) and a raw frame writer (what an
 * attacker or a broken client sends): each close code Corral sends, fragmentation, ping/pong, permessage-deflate,
 * size limits, origins, subprotocols and the close handshake in both directions.
 */
class WebSocketIT {
    private static final WsTestApp APP = new WsTestApp();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(APP, "--ws-max-size", "4096", "--ws-ping-interval", "0");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawWebSocket raw(String path, Map<String, String> headers) throws Exception {
        RawWebSocket ws = RawWebSocket.connect(server.port(), path, headers);
        assertThat(ws.status()).as("handshake status").isEqualTo(101);
        return ws;
    }

    private static RawWebSocket raw(String path) throws Exception {
        return raw(path, Map.of());
    }

    @Test
    void jdkClientExchangesTextAndAgreesOnTheFirstOfferedSubprotocolTheServerKnows() throws Exception {
        try (var client = WsClient.connect(server.port(), "/ws/echo", List.of("chat.v3", "chat.v1", "chat.v2"))) {
            assertThat(client.subprotocol()).isEqualTo("chat.v1");
            client.send("hello, Corral");
            assertThat(client.next()).isEqualTo("hello, Corral");
            client.send("subprotocol");
            assertThat(client.next()).isEqualTo("chat.v1");
            client.sendClose(1000, "bye");
            assertThat(client.awaitClose(10)).isEqualTo(1000);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> APP.closes.contains("1000 bye"));
    }

    @Test
    void jdkClientSeesTheAppsOwnCloseCode() throws Exception {
        try (var client = WsClient.connect(server.port(), "/ws/echo")) {
            client.send("close 4001");
            assertThat(client.awaitClose(10)).isEqualTo(4001);
        }
    }

    @Test
    void binaryMessagesEchoByteForByte() throws Exception {
        try (RawWebSocket ws = raw("/ws/echo")) {
            byte[] data = {0, 1, 2, (byte) 0xFF, (byte) 0x80};
            ws.send(RawWebSocket.BINARY, data);
            RawWebSocket.Frame echo = ws.read();
            assertThat(echo.opcode()).isEqualTo(RawWebSocket.BINARY);
            assertThat(echo.payload()).isEqualTo(data);
        }
    }

    @Test
    void fragmentsAreJoinedAndAPingBetweenThemIsAnsweredAtOnce() throws Exception {
        try (RawWebSocket ws = raw("/ws/echo")) {
            ws.send(false, 0, RawWebSocket.TEXT, "frag".getBytes(StandardCharsets.UTF_8), true);
            ws.send(true, 0, RawWebSocket.PING, "are you there".getBytes(StandardCharsets.UTF_8), true);
            ws.send(false, 0, RawWebSocket.CONTINUATION, "men".getBytes(StandardCharsets.UTF_8), true);
            ws.send(true, 0, RawWebSocket.CONTINUATION, "ted".getBytes(StandardCharsets.UTF_8), true);
            RawWebSocket.Frame pong = ws.read();
            assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
            assertThat(pong.text()).isEqualTo("are you there");
            RawWebSocket.Frame whole = ws.read();
            assertThat(whole.opcode()).isEqualTo(RawWebSocket.TEXT);
            assertThat(whole.fin()).isTrue();
            assertThat(whole.text()).isEqualTo("fragmented");
        }
    }

    @Test
    void permessageDeflateIsAgreedAndWorksBothWays() throws Exception {
        try (RawWebSocket ws = raw("/ws/echo", Map.of("Sec-WebSocket-Extensions",
                "permessage-deflate; client_max_window_bits"))) {
            assertThat(ws.header("sec-websocket-extensions")).startsWith("permessage-deflate");
            String text = "compress me ".repeat(50);
            ws.send(true, 4, RawWebSocket.TEXT, RawWebSocket.deflate(text.getBytes(StandardCharsets.UTF_8)), true);
            RawWebSocket.Frame echo = ws.read();
            assertThat(echo.rsv1()).as("the answer is compressed too").isTrue();
            assertThat(echo.payload().length).isLessThan(text.length() / 4);
            assertThat(new String(RawWebSocket.inflate(echo.payload()), StandardCharsets.UTF_8)).isEqualTo(text);
        }
    }

    @Test
    void aMessageOverWsMaxSizeCloses1009WhetherInOneFrameInFragmentsOrInflated() throws Exception {
        try (RawWebSocket ws = raw("/ws/echo")) {
            ws.send(RawWebSocket.BINARY, new byte[5000]);
            assertThat(ws.awaitCloseCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
        }
        try (RawWebSocket ws = raw("/ws/echo")) {
            ws.send(false, 0, RawWebSocket.BINARY, new byte[3000], true);
            ws.send(true, 0, RawWebSocket.CONTINUATION, new byte[3000], true);
            assertThat(ws.awaitCloseCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
        }
        try (RawWebSocket ws = raw("/ws/echo", Map.of("Sec-WebSocket-Extensions", "permessage-deflate"))) {
            byte[] bomb = RawWebSocket.deflate(new byte[1_000_000]);  // about 1 KB that inflates to 1 MB
            assertThat(bomb.length).isLessThan(4096);
            ws.send(true, 4, RawWebSocket.BINARY, bomb, true);
            assertThat(ws.awaitCloseCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
        }
    }

    @Test
    void invalidUtf8InATextMessageCloses1007() throws Exception {
        try (RawWebSocket ws = raw("/ws/echo")) {
            ws.send(RawWebSocket.TEXT, new byte[] {'o', 'k', (byte) 0xC3, (byte) 0x28});
            assertThat(ws.awaitCloseCode()).isEqualTo(CloseCodes.INVALID_PAYLOAD);
            assertThat(ws.serverClosedConnection()).isTrue();
        }
    }

    @Test
    void protocolViolationsClose1002() throws Exception {
        List<ThrowingFrame> violations = List.of(
                ws -> ws.send(true, 0, RawWebSocket.TEXT, "unmasked".getBytes(StandardCharsets.UTF_8), false),
                ws -> ws.send(true, 2, RawWebSocket.TEXT, "reserved bit".getBytes(StandardCharsets.UTF_8), true),
                ws -> ws.send(true, 0, 0x3, "bad opcode".getBytes(StandardCharsets.UTF_8), true),
                ws -> ws.send(false, 0, RawWebSocket.PING, "fragmented ping".getBytes(StandardCharsets.UTF_8), true),
                ws -> ws.send(true, 0, RawWebSocket.CONTINUATION, "nothing to continue".getBytes(), true));
        for (int i = 0; i < violations.size(); i++) {
            try (RawWebSocket ws = raw("/ws/echo")) {
                violations.get(i).send(ws);
                assertThat(ws.awaitCloseCode()).as("violation %d", i).isEqualTo(CloseCodes.PROTOCOL_ERROR);
                assertThat(ws.serverClosedConnection()).as("violation %d closes TCP", i).isTrue();
            }
        }
        assertThat(server.get("/health").statusCode()).as("the worker serves on").isEqualTo(200);
    }

    private interface ThrowingFrame {
        void send(RawWebSocket ws) throws Exception;
    }

    @Test
    void clientCloseIsEchoedWithItsCodeAndTheServerEndsTheConnection() throws Exception {
        try (RawWebSocket ws = raw("/ws/echo")) {
            ws.sendClose(1001);
            RawWebSocket.Frame echo = ws.read();
            assertThat(echo.opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(echo.closeCode()).isEqualTo(1001);
            assertThat(ws.serverClosedConnection()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> APP.closes.contains("1001 "));
    }

    @Test
    void serverCloseWaitsForTheClientsAnswerAndThenEndsTheConnection() throws Exception {
        try (RawWebSocket ws = raw("/ws/echo")) {
            ws.sendText("close 4002");
            assertThat(ws.awaitCloseCode()).isEqualTo(4002);
            ws.sendClose(4002);
            assertThat(ws.serverClosedConnection()).isTrue();
        }
    }

    @Test
    void aFailingCallbackCloses1011AndTheWorkerServesOn() throws Exception {
        try (RawWebSocket ws = raw("/ws/echo")) {
            ws.sendText("boom");
            assertThat(ws.awaitCloseCode()).isEqualTo(CloseCodes.INTERNAL_ERROR);
        }
        try (RawWebSocket ws = raw("/ws/echo")) {
            ws.sendText("still here");
            assertThat(ws.read().text()).isEqualTo("still here");
        }
    }

    @Test
    void theAppCanRefuseAnUpgradeWithAStatus() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws/auth")) {
            assertThat(ws.status()).isEqualTo(401);
        }
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws/auth?token=ok")) {
            assertThat(ws.status()).isEqualTo(101);
        }
    }

    @Test
    void pagesOfOtherSitesAreRefusedByDefault() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws/echo",
                Map.of("Origin", "https://evil.example"))) {
            assertThat(ws.status()).isEqualTo(403);
        }
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws/echo",
                Map.of("Origin", "http://127.0.0.1:" + server.port()))) {
            assertThat(ws.status()).as("the page's own host").isEqualTo(101);
        }
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws/echo",
                Map.of("Origin", "http://127.0.0.1:" + (server.port() == 65535 ? 1 : server.port() + 1)))) {
            assertThat(ws.status()).as("a page of another port: another site").isEqualTo(403);
        }
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws/echo",
                Map.of("Origin", "https://127.0.0.1:" + server.port()))) {
            assertThat(ws.status()).as("another scheme: another site").isEqualTo(403);
        }
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws/echo",
                Map.of("Origin", "https://127.0.0.1:" + server.port(), "X-Forwarded-Proto", "https"))) {
            assertThat(ws.status()).as("https, as a trusted proxy (127.0.0.1) says").isEqualTo(101);
        }
    }

    @Test
    void wsAllowedOriginsNamesTheSitesThatMayConnect() throws Exception {
        try (var listed = TestServer.start(new WsTestApp(), "--ws-allowed-origins", "https://chat.example.com")) {
            try (RawWebSocket ws = RawWebSocket.connect(listed.port(), "/ws/echo",
                    Map.of("Origin", "https://chat.example.com"))) {
                assertThat(ws.status()).isEqualTo(101);
            }
            try (RawWebSocket ws = RawWebSocket.connect(listed.port(), "/ws/echo",
                    Map.of("Origin", "http://127.0.0.1:" + listed.port()))) {
                assertThat(ws.status()).as("not in the list, even the own host").isEqualTo(403);
            }
        }
    }

    @Test
    void aBadHandshakeIsRefusedBeforeTheApp() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws/echo",
                Map.of("Sec-WebSocket-Version", "8"))) {
            assertThat(ws.status()).isEqualTo(426);
            assertThat(ws.header("sec-websocket-version")).isEqualTo("13");
        }
    }

    @Test
    void theServerPingsAndClosesAClientThatDoesNotAnswer1011() throws Exception {
        try (var pinging = TestServer.start(new WsTestApp(), "--ws-ping-interval", "0.2", "--ws-ping-timeout", "0.3");
             RawWebSocket ws = RawWebSocket.connect(pinging.port(), "/ws/echo")) {
            RawWebSocket.Frame ping = ws.read();
            assertThat(ping.opcode()).isEqualTo(RawWebSocket.PING);
            // No pong: the next frame is the close, and the TCP connection ends though the client never answers.
            assertThat(ws.awaitCloseCode()).isEqualTo(CloseCodes.INTERNAL_ERROR);
            assertThat(ws.serverClosedConnection()).isTrue();
        }
    }

    @Test
    void aClientThatAnswersPingsStaysOpen() throws Exception {
        try (var pinging = TestServer.start(new WsTestApp(), "--ws-ping-interval", "0.2", "--ws-ping-timeout", "0.3");
             RawWebSocket ws = RawWebSocket.connect(pinging.port(), "/ws/echo")) {
            for (int i = 0; i < 4; i++) {
                RawWebSocket.Frame ping = ws.read();
                assertThat(ping.opcode()).isEqualTo(RawWebSocket.PING);
                ws.send(RawWebSocket.PONG, ping.payload());
            }
            ws.sendText("alive");
            RawWebSocket.Frame next = ws.read();
            while (next.opcode() == RawWebSocket.PING) {
                ws.send(RawWebSocket.PONG, next.payload());
                next = ws.read();
            }
            assertThat(next.text()).isEqualTo("alive");
        }
    }

    @Test
    void aClientThatDoesNotReadIsClosed1008AndTheQueueStaysBounded() throws Exception {
        APP.closes.clear();
        try (RawWebSocket ws = raw("/ws/echo")) {
            ws.socket().setReceiveBufferSize(4096);
            // 200 MB for a client that reads nothing: the send buffer (1 MiB by default) must stop it early.
            ws.sendText("flood 3200 65536");
            String outcome = APP.closes.poll(30, TimeUnit.SECONDS);
            assertThat(outcome).startsWith("flood stopped after ");
            int sent = Integer.parseInt(outcome.substring("flood stopped after ".length()));
            assertThat(sent).as("messages accepted before the client was cut off").isLessThan(3200);
            await().atMost(Duration.ofSeconds(10)).until(() -> APP.closes.contains("1008 client too slow to read"));
            assertThat(ws.serverClosedConnection()).as("the TCP connection ends too").isTrue();
        }
    }

    @Test
    void aWebSocketRouteStillAnswersPlainHttpWith404() throws Exception {
        assertThat(server.get("/ws/echo").statusCode()).isEqualTo(404);
    }
}
