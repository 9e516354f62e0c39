package io.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.http.EngineTestApp;
import io.corral.testing.CorralProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The {@code corral} command as a real process: it logs where it listens, serves, and stops on TERM. */
class CorralProcessIT {
    private static final Pattern LISTENING =
            Pattern.compile("Listening at: http://127\\.0\\.0\\.1:(\\d+) \\((\\d+)\\)");

    @Test
    void servesAndStopsOnTerm() throws Exception {
        try (var corral = CorralProcess.start("-b", "127.0.0.1:0", EngineTestApp.class.getName())) {
            Matcher listening = corral.awaitLine(LISTENING);
            assertThat(Long.parseLong(listening.group(2))).isEqualTo(corral.process().pid());

            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + listening.group(1) + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).isEqualTo("{\"status\":\"healthy\"}");

            corral.process().destroy(); // SIGTERM
            corral.awaitExit();
            corral.awaitLine(Pattern.compile("\\[INFO] Shutting down"));
        }
    }

    @Test
    void appWhoseStartThrowsExitsWith4AndOneLineSayingWhy() throws Exception {
        try (var corral = CorralProcess.start("-b", "127.0.0.1:0", FailingStartApp.class.getName())) {
            assertThat(corral.awaitExit()).isEqualTo(4);
            corral.awaitLine(Pattern.compile("\\[ERROR] App failed to load: app start\\(\\) failed: "
                    + "java.lang.IllegalStateException: database unreachable$"));
            assertThat(corral.lines()).noneMatch(line -> line.startsWith("\tat "));
        }
    }

    @Test
    void badFlagExitsWith2AndOneLine() throws Exception {
        try (var corral = CorralProcess.start("--workers-connections", "5", EngineTestApp.class.getName())) {
            assertThat(corral.awaitExit()).isEqualTo(2);
            assertThat(corral.lines()).hasSize(1);
            assertThat(corral.lines().getFirst()).startsWith("corral: ").contains("did you mean");
        }
    }
}
