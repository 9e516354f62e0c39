package io.corral.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code corral} as a real process, on this JVM's classpath, with its stderr in a file. A file and not a pipe:
 * the JDK closes a child's pipe when the child exits, and a reader blocked on it then loses the last lines (the
 * shutdown messages a test wants to see).
 */
public final class CorralProcess implements AutoCloseable {
    private final Process process;
    private final Path stderr;

    private CorralProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    public static CorralProcess start(String... args) throws IOException {
        Path stderr = Files.createTempFile("corral-stderr-", ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), "io.corral.cli.Main"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile())
                .start();
        return new CorralProcess(process, stderr);
    }

    public Process process() {
        return process;
    }

    /** Waits (up to 30 s) for a stderr line matching {@code pattern}, and returns its match. */
    public Matcher awaitLine(Pattern pattern) {
        Matcher[] found = new Matcher[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .alias("a stderr line matching " + pattern + "; stderr so far:\n" + String.join("\n", lines()))
                .until(() -> {
                    for (String line : lines()) {
                        Matcher matcher = pattern.matcher(line);
                        if (matcher.find()) {
                            found[0] = matcher;
                            return true;
                        }
                    }
                    return false;
                });
        return found[0];
    }

    public List<String> lines() {
        try {
            return Files.readAllLines(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Waits (up to 30 s) for the process to end and returns its exit code. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("corral did not exit; stderr:\n" + String.join("\n", lines()));
        }
        return process.exitValue();
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(stderr);
    }
}
