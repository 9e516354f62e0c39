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
