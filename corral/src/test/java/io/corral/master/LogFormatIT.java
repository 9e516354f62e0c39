package io.corral.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.testing.CorralProcess;
import io.corral.testing.TestHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code --log-format json}, as a log shipper reads the error log: every line one JSON object, the master's and the
 * workers' alike, with pid and level; a worker's with its id and generation, across a reload; a stack trace inside
 * its line; what a worker printed wrapped, with its stream.
 */
class LogFormatIT {
    private static final String APP = MasterTestApp.class.getName();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    @Test
    void everyLineIsAnObjectWithPidLevelAndAWorkersIdsAcrossAReload() throws Exception {
        Path errorLog = tmp.resolve("error.log");
        long workerOne;
        try (var corral = CorralProcess.start("-w", "1", "-b", "127.0.0.1:0", "--log-format", "json",
                "--error-logfile", errorLog.toString(), "--capture-output", APP)) {
            int port = corral.port();
            corral.awaitLine(Pattern.compile("Serving with 1 workers"));
            workerOne = TestHttp.pidAt(port);
            assertThat(TestHttp.get(port, "/sleep/1").statusCode()).isEqualTo(200);
            assertThat(TestHttp.get(port, "/boom").statusCode()).isEqualTo(500);
            corral.signal("HUP");
            corral.awaitLine(Pattern.compile("Reload done: generation 2"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(errorLog).contains("handler threw"));
            corral.signal("TERM");
            assertThat(corral.awaitExit()).isZero();

            List<JsonNode> lines = Files.readAllLines(errorLog).stream().map(JSON::readTree).toList();
            assertThat(lines).as("one object per line").isNotEmpty()
                    .allMatch(l -> l.isObject() && l.has("time") && l.has("level") && l.has("pid") && l.has("message"));
            assertThat(lines).filteredOn(l -> !l.has("worker")).as("the master's")
                    .isNotEmpty().allMatch(l -> l.get("pid").asLong() == corral.pid())
                    .anyMatch(l -> l.get("message").asString().startsWith("Reload done: generation 2"));

            JsonNode failure = lines.stream().filter(l -> l.get("message").asString().contains("handler threw"))
                    .findFirst().orElseThrow();
            assertThat(failure.get("level").asString()).isEqualTo("ERROR");
            assertThat(failure.get("worker").asInt()).isEqualTo(1);
            assertThat(failure.get("generation").asInt()).isEqualTo(1);
            assertThat(failure.get("pid").asLong()).isEqualTo(workerOne);
            assertThat(failure.get("exception").asString()).contains("IllegalStateException: boom, on purpose")
                    .contains("\tat ");

            JsonNode printed = lines.stream().filter(l -> l.get("message").asString().startsWith("sleeping 1 ms"))
                    .findFirst().orElseThrow();
            assertThat(printed.get("stream").asString()).isEqualTo("stdout");
            assertThat(printed.get("worker").asInt()).isEqualTo(1);
            assertThat(printed.get("pid").asLong()).isEqualTo(workerOne);

            assertThat(lines).as("the second generation's worker says who it is")
                    .anyMatch(l -> l.path("worker").asInt() == 2 && l.path("generation").asInt() == 2);
        }
    }
}
