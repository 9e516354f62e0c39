package io.corral.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.testing.RequiredService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped logrotate file, forced ({@code logrotate -f}) against a live service: the old files are closed and
 * kept, new lines land in new files, and not one access-log line is lost or duplicated across the rotation.
 */
class LogrotateIT {
    private static final int BEFORE = 300;
    private static final int AFTER = 200;

    @TempDir
    Path tmp;

    @Test
    void rotationUnderTrafficLosesNoLineAndTheOldFilesAreClosed() throws Exception {
        Path logrotate = RequiredService.require("logrotate", "apt-get install logrotate");
        Path home = Release.unpack(Files.createDirectory(tmp.resolve("release")));
        Path logs = Files.createDirectory(tmp.resolve("log"));
        Path run = Files.createDirectory(tmp.resolve("run"));
        int port = Release.freePort();
        Process corral = Release.start(List.of(home.resolve("bin/corral").toString(), "io.corral.chat.ChatApp",
                "-w", "2", "-b", "127.0.0.1:" + port, "--access-logfile", logs.resolve("access.log").toString(),
                "--error-logfile", logs.resolve("error.log").toString(), "--pid", run.resolve("corral.pid").toString()),
                Files.createDirectory(tmp.resolve("state")), Map.of(), tmp.resolve("stderr.log"));
        try {
            Release.awaitOk("http://127.0.0.1:" + port + "/health", System.nanoTime());
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(logs.resolve("error.log"))
                    .lines().filter(l -> l.matches(".*worker \\d+ \\(pid \\d+\\) ready.*")).count() == 2);
            send(port, "before", BEFORE);
            await().atMost(Duration.ofSeconds(10)).until(() -> count(logs.resolve("access.log"), "before") == BEFORE);

            Path config = tmp.resolve("corral-chat.logrotate");
            Files.writeString(config, Files.readString(home.resolve("deploy/logrotate/corral-chat"))
                    .replace("/var/log/corral-chat", logs.toString())
                    .replace("/run/corral-chat", run.toString())
                    .replace("create 0640 corral-chat corral-chat", "create 0640 root root"));
            Process rotate = new ProcessBuilder(logrotate.toString(), "-f", "-s", tmp.resolve("state.txt").toString(),
                    config.toString()).redirectErrorStream(true).start();
            String said = new String(rotate.getInputStream().readAllBytes());
            assertThat(rotate.waitFor()).as(said).isZero();
            // USR1 from postrotate: the master reopens the error log (and says so in the new file) and tells the
            // workers to reopen the access log.
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(logs.resolve("error.log"))
                    && Files.readString(logs.resolve("error.log")).contains("Reopened the log files"));

            send(port, "after", AFTER);
            await().atMost(Duration.ofSeconds(10)).until(() -> count(logs.resolve("access.log"), "after") == AFTER);
            List<Path> rotated = rotatedAccessLogs(logs);
            assertThat(rotated).as("one rotated access log, uncompressed (delaycompress)").hasSize(1);
            assertThat(count(rotated.getFirst(), "before")).isEqualTo(BEFORE);
            assertThat(count(rotated.getFirst(), "after")).as("nothing written into the old file").isZero();
            assertThat(count(logs.resolve("access.log"), "before")).as("nothing twice").isZero();
            for (long pid : List.of(corral.pid())) {
                assertThat(openFiles(pid, logs)).as("the master holds no rotated file open")
                        .noneMatch(f -> f.contains(".log-"));
            }
            corral.toHandle().children().forEach(worker -> assertThat(openFiles(worker.pid(), logs))
                    .as("worker %d holds no rotated file open", worker.pid()).noneMatch(f -> f.contains(".log-")));
        } finally {
            assertThat(Release.stop(corral)).isZero();
        }
    }

    private static void send(int port, String tag, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            assertThat(Release.get("http://127.0.0.1:" + port + "/health?" + tag + "=" + i).statusCode())
                    .isEqualTo(200);
        }
    }

    private static long count(Path file, String tag) throws Exception {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.contains("/health?" + tag + "=")).count();
        }
    }

    private static List<Path> rotatedAccessLogs(Path logs) throws Exception {
        try (Stream<Path> files = Files.list(logs)) {
            return files.filter(p -> p.getFileName().toString().startsWith("access.log-")).toList();
        }
    }

    /** The files under {@code dir} that {@code pid} has open, from /proc/PID/fd. */
    private static List<String> openFiles(long pid, Path dir) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (Exception gone) {
                    return "";
                }
            }).filter(f -> f.startsWith(dir.toString())).toList();
        } catch (Exception e) {
            return List.of();
        }
    }
}
