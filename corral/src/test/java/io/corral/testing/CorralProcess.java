package io.corral.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code corral} as a real process, on this JVM's classpath, with its stderr in a file. A file and not a pipe:
 * the JDK closes a child's pipe when the child exits, and a reader blocked on it then loses the last lines (the
 * shutdown messages a test wants to see).
 */
public final class CorralProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Listening at: http://127\\.0\\.0\\.1:(\\d+) \\(");

    private final Process process;
    private final Path stderr;

    private CorralProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    public static CorralProcess start(String... args) throws IOException {
        return start(Map.of(), List.of(), args);
    }

    /** Starts {@code prefix... java ... io.corral.cli.Main args...} with {@code env} added to this environment. */
    public static CorralProcess start(Map<String, String> env, List<String> prefix, String... args)
            throws IOException {
        Path stderr = Files.createTempFile("corral-stderr-", ".log");
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "io.corral.cli.Main"));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile());
        var environment = new HashMap<>(env);
        builder.environment().putAll(environment);
        return new CorralProcess(builder.start(), stderr);
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** The port of the first {@code Listening at} line (bind 127.0.0.1:0 to get a free one). */
    public int port() {
        return Integer.parseInt(awaitLine(LISTENING).group(1));
    }

    /** Waits (up to 30 s) for a stderr line matching {@code pattern}, and returns its match. */
    public Matcher awaitLine(Pattern pattern) {
        return awaitLine(pattern, 0);
    }

    /** As {@link #awaitLine(Pattern)}, looking only at lines after the first {@code skip}. */
    public Matcher awaitLine(Pattern pattern, int skip) {
        Matcher[] found = new Matcher[1];
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .alias("a stderr line matching " + pattern)
                    .until(() -> {
                        List<String> lines = lines();
                        for (String line : lines.subList(Math.min(skip, lines.size()), lines.size())) {
                            Matcher matcher = pattern.matcher(line);
                            if (matcher.find()) {
                                found[0] = matcher;
                                return true;
                            }
                        }
                        return false;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // The file is deleted on close: say what corral said, or a CI failure cannot be understood.
            List<String> lines = lines();
            throw new AssertionError(e.getMessage() + "\nlast lines of corral's stderr:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())), e);
        }
        return found[0];
    }

    /** How many lines whose text matches {@code pattern} the stderr holds now. */
    public long count(Pattern pattern) {
        return lines().stream().filter(line -> pattern.matcher(line).find()).count();
    }

    public List<String> lines() {
        try {
            return Files.readAllLines(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The worker processes of this master, found by the name {@code ps} shows them with. */
    public List<ProcessHandle> workers() {
        return process.children().filter(p -> commandLine(p.pid()).startsWith("corral: worker")).toList();
    }

    /**
     * The pid of the worker that accepted {@code client}'s connection (a socket to 127.0.0.1 on this master's
     * port), from the kernel's own books: the connection's inode in {@code /proc/net/tcp}, then the worker whose
     * file descriptors hold it. For tests that need a connection on a given worker: connect until one lands there.
     */
    public long workerServing(java.net.Socket client) throws IOException {
        String wanted = String.format(":%04X", client.getLocalPort());
        String local = String.format(":%04X", client.getPort());
        String inode = null;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.strip().split("\\s+");
                if (f.length > 9 && f[1].endsWith(local) && f[2].endsWith(wanted)) {
                    inode = f[9];
                }
            }
        }
        if (inode == null) {
            throw new IOException("no server side for local port " + client.getLocalPort() + " in /proc/net/tcp");
        }
        String link = "socket:[" + inode + "]";
        for (ProcessHandle worker : workers()) {
            try (var fds = Files.list(Path.of("/proc/" + worker.pid() + "/fd"))) {
                boolean holds = fds.anyMatch(fd -> {
                    try {
                        return Files.readSymbolicLink(fd).toString().equals(link);
                    } catch (IOException e) {
                        return false;  // closed meanwhile
                    }
                });
                if (holds) {
                    return worker.pid();
                }
            }
        }
        throw new IOException("no worker holds " + link);
    }

    /**
     * A process's command line as {@code ps} shows it, from {@code /proc/PID/cmdline}: argv[0] included, which
     * ProcessHandle.Info rebuilds from the executable instead.
     */
    public static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Sends a signal by name ({@code "HUP"}, {@code "TTIN"}, ...) to the master, or to any pid. */
    public void signal(String name) throws Exception {
        signal(name, pid());
    }

    public static void signal(String name, long pid) throws Exception {
        int code = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor();
        if (code != 0) {
            throw new IllegalStateException("kill -" + name + " " + pid + " failed");
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
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(stderr);
    }
}
