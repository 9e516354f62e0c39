package io.corral.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.testing.CorralProcess;
import io.corral.testing.HttpLoad;
import io.corral.testing.TestHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * USR2: a new master on the same sockets, under load; the old one leaves cleanly, or stays if the new one fails.
 * Throughout, the pidfile is read every few milliseconds: it must always exist and name a live master
 * (systemd's PIDFile= and operators' scripts read it at any moment).
 */
class BinaryUpgradeIT {
    private static final String APP = MasterTestApp.class.getName();
    private static final Pattern NEW_MASTER_SERVES =
            Pattern.compile("Binary upgrade: the new master \\(pid (\\d+)\\) serves");

    @TempDir
    Path tmp;

    @Test
    void usr2UnderLoadFailsNothingAndTheOldMasterExitsCleanlyOnTerm() throws Exception {
        Path pidfile = tmp.resolve("corral.pid");
        long newMaster = 0;
        try (var corral = CorralProcess.start("-w", "2", "-b", "127.0.0.1:0", "--pid", pidfile.toString(), APP)) {
            int port = corral.port();
            await().atMost(Duration.ofSeconds(30)).until(() -> corral.workers().size() == 2);
            try (var load = new HttpLoad(port, "/health", 4, 2); var watch = new PidfileWatch(pidfile)) {
                load.awaitProgress(100);
                corral.signal("USR2");
                Matcher serves = corral.awaitLine(NEW_MASTER_SERVES);
                newMaster = Long.parseLong(serves.group(1));
                assertThat(Files.readString(pidfile).strip()).isEqualTo(Long.toString(newMaster));
                assertThat(Files.readString(tmp.resolve("corral.pid.oldbin")).strip())
                        .isEqualTo(Long.toString(corral.pid()));
                load.awaitProgress(100);

                corral.signal("TERM");
                assertThat(corral.awaitExit()).as("the old master's exit code").isZero();
                assertThat(Files.exists(tmp.resolve("corral.pid.oldbin"))).isFalse();
                load.awaitProgress(200);  // served by the new master alone now
                long parent = ProcessHandle.of(TestHttp.pidAt(port)).flatMap(ProcessHandle::parent)
                        .map(ProcessHandle::pid).orElse(-1L);
                assertThat(parent).as("the worker answering belongs to the new master").isEqualTo(newMaster);
                load.close();
                System.out.printf("USR2 under load: %d served, failures %s%n", load.ok(), load.failuresByKind());
                assertThat(load.failuresByKind()).as("failed requests across the upgrade").isEmpty();
                assertThat(watch.problems()).as("moments the pidfile did not name a live master").isEmpty();
                assertThat(watch.pidsSeen()).containsExactly(corral.pid(), newMaster);
            }
        } finally {
            stop(newMaster);
        }
    }

    @Test
    void aNewMasterThatCannotServeLeavesTheOldOneUntouched() throws Exception {
        Path pidfile = tmp.resolve("corral.pid");
        Path deploy = Files.createDirectory(tmp.resolve("release"));
        try (var corral = CorralProcess.start("-w", "2", "-b", "127.0.0.1:0", "--pid", pidfile.toString(),
                "--classpath", System.getProperty("java.class.path") + ":" + deploy, APP)) {
            int port = corral.port();
            // Both workers ready, not just started: one still booting when the release breaks would read the broken
            // release too, and the old master, not only the new one, would fail to boot it.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> corral.count(MasterIT.READY) >= 2);
            try (var load = new HttpLoad(port, "/health", 4, 2); var watch = new PidfileWatch(pidfile)) {
                load.awaitProgress(100);
                Files.writeString(deploy.resolve(MasterTestApp.BROKEN_DEPLOY), "the new release cannot start");
                corral.signal("USR2");
                corral.awaitLine(Pattern.compile("Binary upgrade failed: the new master \\(pid \\d+\\) exited with "
                        + "code 4 before serving; this master serves on"));
                assertThat(Files.readString(pidfile).strip()).isEqualTo(Long.toString(corral.pid()));
                assertThat(Files.exists(tmp.resolve("corral.pid.oldbin"))).isFalse();
                load.awaitProgress(100);
                load.close();
                assertThat(load.failuresByKind()).isEmpty();
                assertThat(corral.process().isAlive()).isTrue();
                assertThat(watch.problems()).as("moments the pidfile did not name a live master").isEmpty();
                assertThat(watch.pidsSeen()).containsExactly(corral.pid());
            }
        }
    }

    private static void stop(long pid) throws Exception {
        if (pid == 0) {
            return;
        }
        var handle = ProcessHandle.of(pid);
        if (handle.isPresent() && handle.get().isAlive()) {
            CorralProcess.signal("TERM", pid);
            handle.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
