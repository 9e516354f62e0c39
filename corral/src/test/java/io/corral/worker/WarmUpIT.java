package io.corral.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.corral.app.App;
import io.corral.app.Routes;
import io.corral.config.CliSpec;
import io.corral.config.Config;
import io.corral.logging.Logs;
import io.corral.testing.TestHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker's own warm-up requests: through its pipeline, before it serves, and never counted as a client's. */
class WarmUpIT {
    private static final java.time.Duration BUDGET = java.time.Duration.ofSeconds(30);

    /** Declares two warm-ups, one of them a 404, and remembers what reached its handler. */
    static final class WarmApp implements App {
        final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();

        @Override
        public void configure(Routes routes) {
            routes.get("/hot", request -> {
                seen.add(request.header("User-Agent").orElse("-") + " " + request.queryParam("q").orElse("-"));
                return Map.of("hot", true);
            }).warmUp("/hot?q=1").warmUp("/nowhere");
        }
    }

    private static Config config(String... flags) {
        var args = new java.util.ArrayList<>(List.of(flags));
        args.addAll(List.of("-b", "127.0.0.1:0", WarmApp.class.getName()));
        return new CliSpec("test").parse(args.toArray(String[]::new)).config();
    }

    @Test
    void theDeclaredRequestsRunRoundByRoundThroughThePipelineAndAreNotCountedAsServed() throws Exception {
        var app = new WarmApp();
        Config config = config();
        try (Worker worker = Worker.boot(config, app)) {
            assertThat(worker.server().warmUp(3, BUDGET)).as("answered, the 404 too").isEqualTo(6);
            assertThat(app.seen).containsExactly("corral-warm-up 1", "corral-warm-up 1", "corral-warm-up 1");
            assertThat(worker.server().served()).as("not towards --max-requests").isZero();
            await().until(() -> worker.server().openConnections() == 0);

            worker.listen(config);
            assertThat(TestHttp.get(worker.server().port(), "/hot?q=2").statusCode()).isEqualTo(200);
            assertThat(worker.server().served()).isEqualTo(1);
        }
    }

    @Test
    void theAccessLogHasTheClientsRequestsOnly(@TempDir Path tmp) throws Exception {
        Path accessLog = tmp.resolve("access.log");
        Config config = config("--access-logfile", accessLog.toString());
        Logs.accessLog(accessLog.toString());
        try (Worker worker = Worker.boot(config, new WarmApp())) {
            assertThat(worker.server().warmUp(2, BUDGET)).isEqualTo(4);
            worker.listen(config);
            assertThat(TestHttp.get(worker.server().port(), "/hot?q=client").statusCode()).isEqualTo(200);
            await().until(() -> Files.exists(accessLog) && Files.readString(accessLog).contains("q=client"));
            assertThat(Files.readAllLines(accessLog)).hasSize(1);
        } finally {
            Logs.accessLog(null);
        }
    }

    @Test
    void statsdCountsTheClientsRequestsOnly() throws Exception {
        try (var statsd = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            statsd.setSoTimeout(10_000);
            Config config = config("--statsd-host", "127.0.0.1:" + statsd.getLocalPort());
            try (Worker worker = Worker.boot(config, new WarmApp())) {
                assertThat(worker.server().warmUp(2, BUDGET)).as("a 200 and a 404 each round").isEqualTo(4);
                worker.listen(config);
                // A 404, where the first warm-up request was a 200: one socket, in order, so a warm-up's metrics
                // would have come first.
                assertThat(TestHttp.get(worker.server().port(), "/client-only").statusCode()).isEqualTo(404);
                var first = new java.util.ArrayList<String>();
                for (int i = 0; i < 3; i++) {
                    var packet = new java.net.DatagramPacket(new byte[512], 512);
                    statsd.receive(packet);
                    first.add(new String(packet.getData(), 0, packet.getLength(),
                            java.nio.charset.StandardCharsets.US_ASCII));
                }
                assertThat(first.get(0)).startsWith("gunicorn.request.duration:");
                assertThat(first.subList(1, 3)).containsExactly("gunicorn.requests:1|c|@1.0",
                        "gunicorn.request.status.404:1|c|@1.0");
            }
        }
    }

    @Test
    void aWarmUpPastItsBudgetStopsAndTheWorkerGoesOn() throws Exception {
        var app = new WarmApp();
        try (Worker worker = Worker.boot(config(), app)) {
            assertThat(worker.server().warmUp(1000, java.time.Duration.ZERO)).isZero();
            assertThat(app.seen).isEmpty();
        }
    }

    @Test
    void noRoundsOrNoDeclaredPathsSendNothing() throws Exception {
        var app = new WarmApp();
        try (Worker worker = Worker.boot(config(), app)) {
            assertThat(worker.server().warmUp(0, BUDGET)).isZero();
            assertThat(app.seen).isEmpty();
        }
    }

    @Test
    void aPathThatIsNotAnAbsolutePlainPathStopsTheBootSayingWhich() {
        App bad = new App() {
            @Override
            public void configure(Routes routes) {
                routes.warmUp("health");
            }
        };
        assertThatThrownBy(() -> Worker.boot(config(), bad)).isInstanceOf(AppLoadException.class)
                .hasMessageContaining("a warm-up path starts with /").hasMessageContaining("health");
    }
}
