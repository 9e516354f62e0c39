package io.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.http.EngineTestApp;
import io.corral.testing.CorralProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The {@code corral} command as a real process: it serves, stops on TERM, and fails with the documented codes. */
class CorralProcessIT {

    @Test
    void servesAndStopsOnTerm() throws Exception {
        try (var corral = CorralProcess.start("-w", "1", "-b", "127.0.0.1:0", EngineTestApp.class.getName())) {
            int port = corral.port();
            corral.awaitLine(Pattern.compile("worker 1 \\(pid \\d+\\) ready"));
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).isEqualTo("{\"status\":\"healthy\"}");

            corral.signal("TERM");
            assertThat(corral.awaitExit()).isZero();
            corral.awaitLine(Pattern.compile("\\[INFO] Shutting down: Master"));
        }
    }

    @Test
    void anAddressInUseIsExit1WithOneLineAndNoStackTrace() throws Exception {
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             var corral = CorralProcess.start("-w", "1", "-b", "127.0.0.1:" + taken.getLocalPort(),
                     EngineTestApp.class.getName())) {
            assertThat(corral.awaitExit()).isEqualTo(1);
            assertThat(corral.lines()).filteredOn(l -> l.contains("[ERROR]")).singleElement().asString()
                    .contains("Connection in use or not allowed: 127.0.0.1:" + taken.getLocalPort())
                    .contains("Address already in use");
            assertThat(corral.lines()).noneMatch(line -> line.startsWith("\tat "));
        }
    }

    @Test
    void appWhoseStartThrowsExitsWith4AndOneLineSayingWhy() throws Exception {
        try (var corral = CorralProcess.start("-w", "1", "-b", "127.0.0.1:0", FailingStartApp.class.getName())) {
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

    @Test
    void checkConfigCatchesABadAppClass() throws Exception {
        try (var corral = CorralProcess.start("--check-config", "com.example.Missing")) {
            assertThat(corral.awaitExit()).isEqualTo(1);
            assertThat(corral.lines())
                    .containsExactly("corral: app class com.example.Missing not found on the classpath");
        }
    }
}
