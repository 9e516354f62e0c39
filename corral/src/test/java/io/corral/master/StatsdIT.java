package io.corral.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.testing.CorralProcess;
import io.corral.testing.TestHttp;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code --statsd-host}, {@code --statsd-prefix}, {@code --dogstatsd-tags} as a Gunicorn unit has them: a UDP
 * listener in the test stands for the StatsD server; the workers' request metrics and the master's worker gauge
 * arrive with Gunicorn's names, the prefix and the tags.
 */
class StatsdIT {
    private static final String APP = MasterTestApp.class.getName();
    private static final String TAGS = "|#env:test,team:chat";

    @Test
    void gunicornsMetricsArriveWithThePrefixAndTags() throws Exception {
        var received = new ConcurrentLinkedQueue<String>();
        try (var server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(200);
            Thread listener = Thread.ofVirtual().start(() -> {
                var packet = new DatagramPacket(new byte[1024], 1024);
                while (!server.isClosed()) {
                    try {
                        server.receive(packet);
                        received.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII));
                    } catch (SocketTimeoutException idle) {
                        // keep listening
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
            try (var corral = CorralProcess.start("-w", "2", "-b", "127.0.0.1:0", "--statsd-host",
                    "127.0.0.1:" + server.getLocalPort(), "--statsd-prefix", "svc.chat.",
                    "--dogstatsd-tags", "env:test,team:chat", APP)) {
                int port = corral.port();
                corral.awaitLine(Pattern.compile("Serving with 2 workers"));
                for (int i = 0; i < 5; i++) {
                    assertThat(TestHttp.get(port, "/health").statusCode()).isEqualTo(200);
                }
                assertThat(TestHttp.get(port, "/no-such-page").statusCode()).isEqualTo(404);

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    List<String> all = List.copyOf(received);
                    assertThat(all).filteredOn(m -> m.equals("svc.chat.gunicorn.requests:1|c|@1.0" + TAGS))
                            .hasSize(6);
                    assertThat(all).filteredOn(m -> m.equals("svc.chat.gunicorn.request.status.200:1|c|@1.0" + TAGS))
                            .hasSize(5);
                    assertThat(all).filteredOn(m -> m.equals("svc.chat.gunicorn.request.status.404:1|c|@1.0" + TAGS))
                            .hasSize(1);
                    assertThat(all).filteredOn(m -> m.matches(
                            "svc\\.chat\\.gunicorn\\.request\\.duration:\\d+\\.\\d{3}\\|ms\\|#env:test,team:chat"))
                            .hasSize(6);
                    assertThat(all).contains("svc.chat.gunicorn.workers:2|g" + TAGS);
                });
            }
            server.close();
            listener.join();
        }
    }
}
