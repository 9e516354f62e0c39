package io.corral.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.testing.CorralProcess;
import io.corral.testing.HttpLoad;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-downtime promise under continuous load (keep-alive and fresh connections): reloads lose nothing, a broken
 * deploy changes nothing for clients, and a worker killed with SIGKILL loses only the requests it had in flight.
 */
class ZeroDowntimeIT {
    private static final String APP = MasterTestApp.class.getName();

    @TempDir
    Path deploy;

    /** Corral with {@code deploy} on the workers' classpath, where a test can drop a broken release. */
    private CorralProcess start(String workers) throws Exception {
        var corral = CorralProcess.start("-w", workers, "-b", "127.0.0.1:0",
                "--classpath", System.getProperty("java.class.path") + ":" + deploy, APP);
        corral.port();
        await().atMost(Duration.ofSeconds(30)).until(() -> corral.count(MasterIT.READY) >= Integer.parseInt(workers));
        return corral;
    }

    @Test
    void tenHupReloadsUnderLoadFailNoRequest() throws Exception {
        try (var corral = start("2"); var load = new HttpLoad(corral.port(), "/health", 4, 2)) {
            load.awaitProgress(100);
            for (int generation = 2; generation <= 11; generation++) {
                int lines = corral.lines().size();
                corral.signal("HUP");
                corral.awaitLine(Pattern.compile("Reload done: generation " + generation + " serving"), lines);
                load.awaitProgress(50);
            }
            load.close();
            System.out.printf("10 HUPs: %d requests served, failures %s%n", load.ok(), load.failuresByKind());
            assertThat(load.failuresByKind()).as("failed requests across 10 reloads").isEmpty();
        }
    }

    @Test
    void aBrokenDeployLeavesTheOldGenerationServingAndSaysWhy() throws Exception {
        try (var corral = start("2"); var load = new HttpLoad(corral.port(), "/health", 4, 2)) {
            load.awaitProgress(100);
            Files.writeString(deploy.resolve(MasterTestApp.BROKEN_DEPLOY), "DATABASE_URL is not set");
            int lines = corral.lines().size();
            corral.signal("HUP");
            corral.awaitLine(Pattern.compile("Reload failed, generation \\d+ keeps serving: .*"
                    + "deliberately broken deploy: DATABASE_URL is not set"), lines);
            load.awaitProgress(100);
            // The failed generation's last JVMs are on their way out; the old generation's two stay.
            await().atMost(Duration.ofSeconds(30)).until(() -> corral.workers().size() == 2);

            Files.delete(deploy.resolve(MasterTestApp.BROKEN_DEPLOY));  // the fixed release
            lines = corral.lines().size();
            corral.signal("HUP");
            corral.awaitLine(Pattern.compile("Reload done: generation \\d+ serving with 2 workers"), lines);
            load.awaitProgress(50);
            load.close();
            assertThat(load.failuresByKind()).as("failed requests around a broken deploy").isEmpty();
        }
    }

    /**
     * Operators who reload again before the last reload finished (a deploy script that reloads twice, two people,
     * config management): ten HUPs a second apart, then five within 200 ms. The HUP's own rhythm is the scenario, so
     * it is paced by the clock; everything else is awaited. No request fails or takes 2 s, each generation still
     * booting is superseded by the next, and only a worker that was never ready is stopped that way.
     */
    @Test
    void hupsFasterThanReloadsFinishFailNoRequestAndSupersedeOnlyBootingGenerations() throws Exception {
        try (var corral = start("2");
             var load = new HttpLoad(corral.port(), "/health", 4, 2, Duration.ofSeconds(2))) {
            load.awaitProgress(100);
            for (int i = 0; i < 10; i++) {
                corral.signal("HUP");
                Thread.sleep(1000);
            }
            for (int i = 0; i < 5; i++) {
                corral.signal("HUP");
                Thread.sleep(40);
            }
            corral.awaitLine(Pattern.compile("Reload done: generation 16 serving with 2 workers"));
            load.awaitProgress(100);
            load.close();
            System.out.printf("15 overlapping HUPs: %d requests served, failures %s%n", load.ok(),
                    load.failuresByKind());
            assertThat(load.failuresByKind()).as("failed or slower than 2 s").isEmpty();
            List<String> superseded = corral.lines().stream().filter(l -> l.contains("superseded by generation"))
                    .toList();
            assertThat(superseded).as("booting generations superseded").isNotEmpty();
            for (String line : superseded) {
                String worker = line.replaceAll(".*(worker \\d+ \\(pid \\d+\\)).*", "$1");
                assertThat(corral.lines()).as(worker + " was never ready when it was superseded")
                        .noneMatch(l -> l.contains(worker + " ready"));
            }
        }
    }

    /**
     * A replacement that cannot boot (here its start() fails) while another worker serves: the master keeps that one
     * serving, tries again with a growing pause, says so, and fills the place once the cause is gone.
     */
    @Test
    void aWorkerThatCannotBeReplacedNeverTakesTheServingOnesDown() throws Exception {
        try (var corral = start("2"); var load = new HttpLoad(corral.port(), "/health", 0, 2)) {
            load.awaitProgress(50);
            Files.writeString(deploy.resolve(MasterTestApp.BROKEN_DEPLOY), "the disk is full");
            int lines = corral.lines().size();
            CorralProcess.signal("KILL", corral.workers().getFirst().pid());
            for (int failure = 1; failure <= Master.MAX_BOOT_FAILURES + 1; failure++) {
                corral.awaitLine(Pattern.compile("1 of 2 workers serve; the next worker starts in "
                        + (1 << (failure - 1)) + "s"), lines);
                lines = corral.lines().size();
            }
            assertThat(corral.process().isAlive()).as("the master serves on").isTrue();
            assertThat(corral.count(Pattern.compile("failed to boot: .*deliberately broken deploy: the disk is full")))
                    .isGreaterThan(Master.MAX_BOOT_FAILURES);
            load.awaitProgress(50);

            Files.delete(deploy.resolve(MasterTestApp.BROKEN_DEPLOY));
            corral.awaitLine(MasterIT.READY, lines);
            await().atMost(Duration.ofSeconds(30)).until(() -> corral.workers().size() == 2);
            load.close();
            // Only the request in flight on the killed worker, at most, may have failed.
            assertThat(load.failed()).isLessThanOrEqualTo(2);
        }
    }

    /**
     * Fresh connections only: a keep-alive connection to a killed worker breaks for its next request too, which HTTP
     * clients and Nginx retry on another connection (an idempotent request on a stale connection); what must never
     * fail is a request sent after the kill.
     */
    @Test
    void fiveKillsLoseOnlyTheRequestsInFlightAndTheWorkerCountRecovers() throws Exception {
        try (var corral = start("2"); var load = new HttpLoad(corral.port(), "/sleep/20", 0, 8)) {
            load.awaitProgress(100);
            List<Long> kills = new ArrayList<>();
            int inFlightAtKills = 0;
            for (int kill = 1; kill <= 5; kill++) {
                List<ProcessHandle> workers = corral.workers();
                long victim = workers.get(ThreadLocalRandom.current().nextInt(workers.size())).pid();
                int lines = corral.lines().size();
                int failedBefore = load.failed();
                CorralProcess.signal("KILL", victim);
                kills.add(System.nanoTime());
                int inFlight = load.inFlight();
                inFlightAtKills += inFlight;
                corral.awaitLine(Pattern.compile("\\(pid " + victim + "\\) was killed by SIGKILL"), lines);
                corral.awaitLine(MasterIT.READY, lines);
                await().atMost(Duration.ofSeconds(30)).until(() -> corral.workers().size() == 2);
                load.awaitProgress(50);
                System.out.printf("kill %d: pid %d, %d requests in flight, %d failed%n", kill, victim, inFlight,
                        load.failed() - failedBefore);
            }
            load.close();
            System.out.printf("5 kills: %d served, failures %s%n", load.ok(), load.failuresByKind());
            assertThat(load.failed()).as("failed requests vs requests in flight at the kills")
                    .isLessThanOrEqualTo(inFlightAtKills);
            long lastKill = kills.getLast();
            for (long sentAt : load.failedSentAt()) {
                assertThat(kills.stream().anyMatch(k -> sentAt <= k && k - sentAt < Duration.ofSeconds(10).toNanos()))
                        .as("a failed request was in flight at a kill").isTrue();
                assertThat(sentAt).isLessThanOrEqualTo(lastKill);
            }
        }
    }
}
