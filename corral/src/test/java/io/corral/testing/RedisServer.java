package io.corral.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A throwaway redis-server on 127.0.0.1 (no persistence), that a test can stop and start again on the same port. */
public final class RedisServer implements AutoCloseable {
    private final Path binary;
    private final int port;
    private final Path log;
    private Process process;

    private RedisServer(Path binary, int port) throws IOException {
        this.binary = binary;
        this.port = port;
        this.log = Files.createTempFile("redis-", ".log");
    }

    /** Starts one on a free port; skips the test (fails in CI) when Redis is not installed. */
    public static RedisServer start() throws Exception {
        Path binary = RequiredService.require("redis-server", "apt-get install redis-server");
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        var redis = new RedisServer(binary, port);
        redis.startAgain();
        return redis;
    }

    /** (Re)starts the server on its port and waits until it accepts connections. */
    public void startAgain() throws Exception {
        Files.writeString(log, "");
        process = new ProcessBuilder(List.of(binary.toString(), "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(20)).alias("redis-server ready")
                .until(() -> Files.readString(log).contains("Ready to accept connections"));
    }

    /** Stops the server as a crash would (SIGKILL). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    @Override
    public void close() throws IOException {
        if (process != null) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(log);
    }
}
