package io.corral.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.testing.CorralProcess;
import io.corral.testing.RawWebSocket;
import io.corral.testing.WsClient;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * WebSockets under a real master: what a client sees when workers are replaced or the service stops, and a client
 * that does not read against a worker whose heap is small.
 */
class WsLifecycleIT {
    private static final String APP = WsTestApp.class.getName();
    private static final Pattern READY = Pattern.compile("worker (\\d+) \\(pid (\\d+)\\) ready");

    @Test
    void hupClosesWebSocketsWith1012AndTheReconnectIsServedByTheNewGeneration() throws Exception {
        try (var corral = CorralProcess.start("-w", "1", "-b", "127.0.0.1:0", APP)) {
            int port = corral.port();
            corral.awaitLine(READY);
            try (var client = WsClient.connect(port, "/ws/echo")) {
                client.send("pid");
                String oldPid = client.next("pid ");
                int lines = corral.lines().size();
                corral.signal("HUP");
                assertThat(client.awaitClose(30)).isEqualTo(CloseCodes.SERVICE_RESTART);
                corral.awaitLine(Pattern.compile("Reload done"), lines);
                try (var again = WsClient.connect(port, "/ws/echo")) {
                    again.send("pid");
                    assertThat(again.next("pid ")).isNotEqualTo(oldPid);
                }
            }
        }
    }

    @Test
    void termClosesWebSocketsWith1001AndTheMasterExitsZero() throws Exception {
        try (var corral = CorralProcess.start("-w", "2", "-b", "127.0.0.1:0", APP)) {
            int port = corral.port();
            corral.awaitLine(READY);
            try (var client = WsClient.connect(port, "/ws/echo")) {
                client.send("ping-pong");
                assertThat(client.next()).isEqualTo("ping-pong");
                corral.signal("TERM");
                assertThat(client.awaitClose(30)).isEqualTo(CloseCodes.GOING_AWAY);
            }
            assertThat(corral.awaitExit()).isZero();
        }
    }

    @Test
    void aClientThatDoesNotReadCannotExhaustASmallWorkerHeap() throws Exception {
        // 48 MB of heap; the app tries to send 320 MB to a client that reads nothing.
        try (var corral = CorralProcess.start("-w", "1", "-b", "127.0.0.1:0",
                "--worker-jvm-options", "-XX:+UseSerialGC -Xmx48m -XX:+ExitOnOutOfMemoryError", APP)) {
            int port = corral.port();
            long pid = Long.parseLong(corral.awaitLine(READY).group(2));
            try (RawWebSocket ws = RawWebSocket.connect(port, "/ws/echo")) {
                ws.socket().setReceiveBufferSize(4096);
                ws.sendText("flood 5000 65536");
                corral.awaitLine(Pattern.compile("the client does not read .*closing with 1008"));
            }
            try (var client = WsClient.connect(port, "/ws/echo")) {
                client.send("pid");
                assertThat(client.next("pid ")).as("the same worker serves on").isEqualTo("pid " + pid);
            }
        }
    }
}
