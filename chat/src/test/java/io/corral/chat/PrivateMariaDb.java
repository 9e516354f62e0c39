package io.corral.chat;

import static org.awaitility.Awaitility.await;

import io.corral.testing.RequiredService;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;

/**
 * A MariaDB server of the test's own (a fresh data directory, its own port, no grant tables), so a test can crash
 * it and start it again without touching the shared server.
 */
final class PrivateMariaDb implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Process server;

    private PrivateMariaDb(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static PrivateMariaDb start() throws Exception {
        RequiredService.require("mariadbd", "apt-get install mariadb-server");
        Path dir = Files.createTempDirectory("mariadb-");
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process install = new ProcessBuilder("mariadb-install-db", "--no-defaults", "--datadir=" + dir.resolve("data"),
                "--user=" + System.getProperty("user.name"), "--skip-test-db",
                "--auth-root-authentication-method=normal")
                .redirectErrorStream(true).redirectOutput(dir.resolve("install.log").toFile()).start();
        if (install.waitFor() != 0) {
            throw new IOException("mariadb-install-db failed: " + Files.readString(dir.resolve("install.log")));
        }
        var db = new PrivateMariaDb(dir, port);
        db.startAgain();
        return db;
    }

    void startAgain() {
        try {
            server = new ProcessBuilder(List.of("mariadbd", "--no-defaults", "--datadir=" + dir.resolve("data"),
                    "--socket=" + dir.resolve("sock"), "--port=" + port, "--bind-address=127.0.0.1",
                    "--user=" + System.getProperty("user.name"), "--skip-grant-tables", "--skip-log-bin",
                    "--innodb-buffer-pool-size=16M"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().alias("private mariadbd accepting")
                .until(() -> {
                    try (var c = DriverManager.getConnection(url(""), "root", "")) {
                        return c.isValid(2);
                    }
                });
    }

    /** As a crash would: SIGKILL. */
    void kill() throws InterruptedException {
        server.destroyForcibly();
        server.waitFor();
    }

    String url(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            kill();
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
