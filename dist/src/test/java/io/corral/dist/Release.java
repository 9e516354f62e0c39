package io.corral.dist;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The release archive this build made (target/corral-chat-VERSION.tar.gz), unpacked with tar into an empty folder
 * as an operator would, and processes started from it with the documented command, {@code bin/corral}.
 */
final class Release {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Release() {
    }

    static Path archive() throws IOException {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("corral-chat-.*\\.tar\\.gz"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no release archive in target/"));
        }
    }

    /** Unpacks the archive under {@code into} (empty) and returns the release's home, corral-chat-VERSION/. */
    static Path unpack(Path into) throws Exception {
        Process tar = new ProcessBuilder("tar", "-xzf", archive().toAbsolutePath().toString(), "-C", into.toString())
                .inheritIO().start();
        if (tar.waitFor() != 0) {
            throw new IllegalStateException("tar failed");
        }
        try (var entries = Files.list(into)) {
            return entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    static int freePort() throws IOException {
        try (var probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    /** Starts {@code command} in {@code workdir} with {@code env} added, stderr into {@code log}. */
    static Process start(List<String> command, Path workdir, Map<String, String> env, Path log) throws IOException {
        var builder = new ProcessBuilder(command).directory(workdir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("CHAT_ARGON2_MEMORY_KIB", "1024");
        return builder.start();
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits (up to 60 s) until {@code url} answers 200; returns the milliseconds since {@code startedAt}. */
    static long awaitOk(String url, long startedAt) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> get(url).statusCode() == 200);
        return (System.nanoTime() - startedAt) / 1_000_000;
    }

    /** TERM, then up to 30 s for a clean exit; returns the exit code. */
    static int stop(Process process) throws Exception {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("did not stop within 30 s of TERM");
        }
        return process.exitValue();
    }
}
