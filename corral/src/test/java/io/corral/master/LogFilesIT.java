package io.corral.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.testing.CorralProcess;
import io.corral.testing.TestHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logs never vanish: a log file that cannot be opened stops the start with one line on stderr, one that cannot be
 * reopened on USR1 keeps the file open before, and the lifecycle lines reach stderr (the journal) whatever the
 * error log is. The unopenable paths are under a regular file, so they fail for root too.
 */
class LogFilesIT {
    private static final String APP = MasterTestApp.class.getName();

    @TempDir
    Path tmp;

    @Test
    void anErrorLogThatCannotBeOpenedIsExit1WithOneLineOnStderr() throws Exception {
        Path notADirectory = Files.writeString(tmp.resolve("log"), "a file where the log directory should be");
        try (var corral = CorralProcess.start("-w", "1", "-b", "127.0.0.1:0",
                "--error-logfile", notADirectory.resolve("error.log").toString(), APP)) {
            assertThat(corral.awaitExit()).isEqualTo(1);
            assertThat(corral.lines()).singleElement().asString().endsWith("[ERROR] cannot open the error log "
                    + notADirectory.resolve("error.log") + ": not a directory");
        }
    }

    @Test
    void anAccessLogThatCannotBeOpenedIsExit1WithOneLineOnStderr() throws Exception {
        Path notADirectory = Files.writeString(tmp.resolve("log"), "a file where the log directory should be");
        try (var corral = CorralProcess.start("-w", "1", "-b", "127.0.0.1:0", "--error-logfile",
                tmp.resolve("error.log").toString(), "--access-logfile",
                notADirectory.resolve("access.log").toString(), APP)) {
            assertThat(corral.awaitExit()).isEqualTo(1);
            assertThat(corral.lines()).filteredOn(l -> l.contains("[ERROR]")).singleElement().asString()
                    .endsWith("cannot open the access log " + notADirectory.resolve("access.log")
                            + ": not a directory");
            assertThat(corral.lines()).noneMatch(l -> l.startsWith("\tat "));
        }
    }

    @Test
    void usr1WhenTheNewFileCannotBeOpenedKeepsWritingTheOldOneAndSaysSo() throws Exception {
        Path logs = Files.createDirectory(tmp.resolve("log"));
        try (var corral = CorralProcess.start("-w", "1", "-b", "127.0.0.1:0",
                "--error-logfile", logs.resolve("error.log").toString(),
                "--access-logfile", logs.resolve("access.log").toString(), APP)) {
            int port = corral.port();
            corral.awaitLine(MasterIT.READY);
            // logrotate moved the directory away, and something else took its name.
            Path rotated = Files.move(logs, tmp.resolve("log.1"));
            Files.writeString(logs, "not a directory");
            corral.signal("USR1");

            corral.awaitLine(Pattern.compile("\\[WARNING] cannot reopen the error log " + Pattern.quote(
                    logs.resolve("error.log").toString()) + ": not a directory; still writing to the file it had "
                    + "open"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(read(rotated.resolve("error.log")))
                    .contains("cannot reopen the error log")
                    .contains("cannot reopen the access log"));  // the worker's own warning, relayed
            assertThat(TestHttp.get(port, "/pid").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(read(rotated.resolve("access.log")))
                    .contains("\"GET /pid HTTP/1.1\" 200"));
        }
    }

    @Test
    void withTheErrorLogInAFileTheLifecycleLinesStillReachStderr() throws Exception {
        Path errorLog = tmp.resolve("error.log");
        try (var corral = CorralProcess.start("-w", "1", "-b", "127.0.0.1:0", "--error-logfile",
                errorLog.toString(), APP)) {
            corral.awaitLine(Pattern.compile("Serving with 1 workers"));
            corral.signal("HUP");
            corral.awaitLine(Pattern.compile("Reload done: generation 2 serving with 1 workers from "));
            corral.signal("TERM");
            assertThat(corral.awaitExit()).isZero();
            List<String> stderr = corral.lines();
            for (String line : List.of("Starting corral", "Listening at: http://127.0.0.1:", "worker 1 (pid",
                    "Handling signal: hup", "Reloading: starting generation 2", "Shutting down: Master")) {
                assertThat(stderr).as(line).anyMatch(l -> l.contains(line));
            }
            assertThat(stderr).as("worker lines and the master's chatter stay in the file")
                    .noneMatch(l -> l.contains("Booting worker"))
                    .noneMatch(l -> l.contains("Worker exiting"));
            assertThat(read(errorLog)).contains("Booting worker").contains("Worker exiting")
                    .contains("Reload done: generation 2");
        }
    }

    private static String read(Path file) throws Exception {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
