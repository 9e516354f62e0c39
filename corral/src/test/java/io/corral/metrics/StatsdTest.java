package io.corral.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.config.CliSpec;
import io.corral.config.Config;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gunicorn's StatsD names and datagram format, and settings that would break a datagram refused at the start. */
class StatsdTest {
    private static Config config(String... flags) {
        var args = new ArrayList<>(List.of(flags));
        args.add("my.App");
        return new CliSpec("test").parse(args.toArray(String[]::new)).config();
    }

    @Test
    void thePrefixEndsWithOneDotAsGunicornsDoes() {
        assertThat(Statsd.prefix("svc.app")).isEqualTo("svc.app.");
        assertThat(Statsd.prefix("svc.app...")).isEqualTo("svc.app.");
        assertThat(Statsd.prefix("")).isEmpty();
    }

    @Test
    void eachMetricIsOneDatagramInGunicornsFormatWithTheTags() throws Exception {
        try (var server = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             var statsd = Statsd.from(config("--statsd-host", "127.0.0.1:" + server.getLocalPort(),
                     "--statsd-prefix", "svc.app", "--dogstatsd-tags", "env:test,team:chat"))) {
            server.setSoTimeout(10_000);
            statsd.request(404, 1.5);
            statsd.gauge("gunicorn.workers", 2);
            var received = new ArrayList<String>();
            for (int i = 0; i < 4; i++) {
                var packet = new DatagramPacket(new byte[512], 512);
                server.receive(packet);
                received.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII));
            }
            assertThat(received).containsExactly(
                    "svc.app.gunicorn.request.duration:1.500|ms|#env:test,team:chat",
                    "svc.app.gunicorn.requests:1|c|@1.0|#env:test,team:chat",
                    "svc.app.gunicorn.request.status.404:1|c|@1.0|#env:test,team:chat",
                    "svc.app.gunicorn.workers:2|g|#env:test,team:chat");
        }
    }

    @Test
    void noServerNoClientAndBadValuesStopTheStartNamingTheRule() {
        assertThat(Statsd.from(config())).isNull();
        assertThatThrownBy(() -> config("--statsd-host", "localhost")).hasMessageContaining("must be HOST:PORT");
        assertThatThrownBy(() -> config("--statsd-host", "localhost:0")).hasMessageContaining("port 1-65535");
        assertThatThrownBy(() -> config("--statsd-host", "::1:8125")).hasMessageContaining("[ADDRESS]:PORT");
        assertThat(config("--statsd-host", "[::1]:8125").get(io.corral.config.LoggingSettings.STATSD_HOST)
                .getHostString()).isEqualTo("::1");
        assertThatThrownBy(() -> config("--dogstatsd-tags", "env:prod|#x")).hasMessageContaining("must be tags");
    }
}
