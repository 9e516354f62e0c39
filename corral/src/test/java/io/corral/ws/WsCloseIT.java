package io.corral.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.testing.RawWebSocket;
import io.corral.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The close handshake's edges (RFC 6455 §5.5.1, §7.1.1, §7.4) from a raw client: a close frame with a code that may
 * not be on the wire or a reason that is not UTF-8 is answered with a close code and the TCP connection ends; after
 * any close Corral starts, the TCP connection ends once the client answers, and within a bound when it never does.
 */
class WsCloseIT {
    /** Corral waits 3 s for the client's answer to its close; a read that waits longer than this has failed. */
    private static final int EOF_BOUND_MILLIS = 8_000;
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

    private static RawWebSocket open() throws Exception {
        RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws/echo", Map.of());
        assertThat(ws.status()).as("handshake status").isEqualTo(101);
        ws.socket().setSoTimeout(EOF_BOUND_MILLIS);
        return ws;
    }

    private static byte[] closeBody(int code, byte[] reason) {
        var body = new ByteArrayOutputStream();
        body.write(code >>> 8);
        body.write(code);
        body.writeBytes(reason);
        return body.toByteArray();
    }

    @Test
    void nothingFollowsOurCloseNotEvenWhatTheAppSentJustAfterIt() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.sendText("close-then-send");
            RawWebSocket.Frame frame = ws.read();
            assertThat(frame.opcode()).as("the close, with no data frame after it").isEqualTo(RawWebSocket.CLOSE);
            ws.sendClose(1000);
            org.assertj.core.api.Assertions.assertThatThrownBy(ws::read).as("nothing more, then the TCP close")
                    .isInstanceOf(java.io.EOFException.class);
        }
    }

    @Test
    void aCloseCodeThatMayNotBeSentIsAnswered1002AndTheConnectionEnds() throws Exception {
        for (int code : List.of(0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535)) {
            try (RawWebSocket ws = open()) {
                ws.sendClose(code);
                assertThat(ws.awaitCloseCode()).as("answer to close code %d", code)
                        .isEqualTo(CloseCodes.PROTOCOL_ERROR);
                assertThat(ws.serverClosedConnection()).as("TCP closed after close code %d", code).isTrue();
            }
        }
        try (RawWebSocket ws = open()) {
            ws.send(RawWebSocket.CLOSE, new byte[] {0x03});
            assertThat(ws.awaitCloseCode()).as("a one-byte close body").isEqualTo(CloseCodes.PROTOCOL_ERROR);
            assertThat(ws.serverClosedConnection()).isTrue();
        }
        assertThat(server.get("/health").statusCode()).as("the worker serves on").isEqualTo(200);
    }

    @Test
    void everyCodeThatMayBeSentIsEchoed() throws Exception {
        for (int code : List.of(1000, 1001, 1002, 1003, 1007, 1011, 1014, 3000, 4000, 4999)) {
            try (RawWebSocket ws = open()) {
                ws.send(RawWebSocket.CLOSE, closeBody(code, "bye ✓".getBytes(StandardCharsets.UTF_8)));
                assertThat(ws.awaitCloseCode()).as("echo of %d", code).isEqualTo(code);
                assertThat(ws.serverClosedConnection()).isTrue();
            }
        }
        try (RawWebSocket ws = open()) {
            ws.send(RawWebSocket.CLOSE, new byte[0]);
            RawWebSocket.Frame echo = ws.read();
            assertThat(echo.opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(echo.payload()).as("an empty close is echoed empty").isEmpty();
            assertThat(ws.serverClosedConnection()).isTrue();
        }
    }

    @Test
    void aCloseReasonThatIsNotUtf8IsAnswered1007AndTheConnectionEnds() throws Exception {
        List<byte[]> reasons = List.of(
                new byte[] {'o', 'k', (byte) 0xC3, (byte) 0x28},           // a broken two-byte sequence
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},        // a UTF-16 surrogate, encoded
                new byte[] {(byte) 0xF0, (byte) 0x9F});                     // cut short
        for (byte[] reason : reasons) {
            try (RawWebSocket ws = open()) {
                ws.send(RawWebSocket.CLOSE, closeBody(1000, reason));
                assertThat(ws.awaitCloseCode()).isEqualTo(CloseCodes.INVALID_PAYLOAD);
                assertThat(ws.serverClosedConnection()).isTrue();
            }
        }
    }

    @Test
    void after1009TheConnectionEndsWhenTheClientAnswersAndWhenItNeverDoes() throws Exception {
        for (boolean answers : List.of(true, false)) {
            try (RawWebSocket ws = open()) {
                ws.send(RawWebSocket.BINARY, new byte[5000]);
                assertClosedWith(ws, CloseCodes.MESSAGE_TOO_BIG, answers, "one frame");
            }
            try (RawWebSocket ws = open()) {
                ws.send(false, 0, RawWebSocket.BINARY, new byte[3000], true);
                ws.send(false, 0, RawWebSocket.CONTINUATION, new byte[3000], true);
                assertClosedWith(ws, CloseCodes.MESSAGE_TOO_BIG, answers, "fragments adding up");
            }
            try (RawWebSocket ws = open()) {
                ws.send(false, 0, RawWebSocket.TEXT, new byte[3000], true);
                ws.send(true, 0, RawWebSocket.CONTINUATION, new byte[3000], true);
                ws.send(RawWebSocket.TEXT, "and more after it".getBytes(StandardCharsets.UTF_8));
                assertClosedWith(ws, CloseCodes.MESSAGE_TOO_BIG, answers, "final fragment, then more");
            }
            try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws/echo",
                    Map.of("Sec-WebSocket-Extensions", "permessage-deflate"))) {
                ws.socket().setSoTimeout(EOF_BOUND_MILLIS);
                ws.send(true, 4, RawWebSocket.BINARY, RawWebSocket.deflate(new byte[100_000]), true);
                assertClosedWith(ws, CloseCodes.MESSAGE_TOO_BIG, answers, "a message that inflates over the limit");
            }
        }
    }

    @Test
    void afterAnyCloseCorralStartsTheConnectionEndsWithinTheBound() throws Exception {
        for (int code : List.of(1000, 1008, 1011, 4002)) {
            try (RawWebSocket ws = open()) {
                ws.sendText("close " + code);
                assertClosedWith(ws, code, false, "the app's close");
            }
        }
        try (RawWebSocket ws = open()) {
            ws.send(true, 0, RawWebSocket.TEXT, "unmasked".getBytes(StandardCharsets.UTF_8), false);
            assertClosedWith(ws, CloseCodes.PROTOCOL_ERROR, false, "a protocol error");
        }
    }

    @Test
    void anAppCloseWithACodeThatMayNotBeSentGoesOutAs1011AndStillEndsTheConnection() throws Exception {
        for (int code : List.of(999, 1005, 1006, 2000)) {
            try (RawWebSocket ws = open()) {
                ws.sendText("close " + code);
                assertClosedWith(ws, CloseCodes.INTERNAL_ERROR, true, "the app's close with " + code);
            }
        }
    }

    private static void assertClosedWith(RawWebSocket ws, int code, boolean clientAnswers, String what)
            throws Exception {
        assertThat(ws.awaitCloseCode()).as("close code after %s", what).isEqualTo(code);
        if (clientAnswers) {
            try {
                ws.sendClose(code);
            } catch (IOException reset) {
                // Netty's decoder fails the connection (RFC 6455 §7.1.7) on a frame over the limit: closed at once
                return;
            }
        }
        assertThat(ws.serverClosedConnection())
                .as("TCP closed after %s, the client %s", what, clientAnswers ? "answering" : "silent").isTrue();
    }
}
