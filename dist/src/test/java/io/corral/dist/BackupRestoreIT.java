package io.corral.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.testing.RequiredService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/deployment.md's "Backup and restore" for SQLite, as written: an online {@code sqlite3 .backup} while the
 * release serves, then stop, the backup put in place of the database with its WAL files removed, and start. What
 * was posted before the backup is there, what came after it is not, and the database is intact.
 */
class BackupRestoreIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;
    private int port;

    @Test
    void anOnlineBackupRestoresToTheStateItWasTakenIn() throws Exception {
        Path sqlite3 = RequiredService.require("sqlite3", "apt-get install sqlite3");
        Path home = Release.unpack(Files.createDirectory(tmp.resolve("release")));
        Path state = Files.createDirectory(tmp.resolve("state"));
        Path database = state.resolve("data/chat.db");
        Path backup = state.resolve("chat-backup.db");
        port = Release.freePort();
        List<String> command = List.of(home.resolve("bin/corral").toString(), "io.corral.chat.ChatApp", "-w", "1",
                "-b", "127.0.0.1:" + port);

        Process corral = Release.start(command, state, Map.of(), tmp.resolve("stderr-1.log"));
        String token;
        long room;
        try {
            Release.awaitOk(url("/health"), System.nanoTime());
            String credentials = "{\"username\":\"backup\",\"password\":\"backup-password\"}";
            assertThat(post("/api/register", null, credentials).statusCode()).isEqualTo(201);
            token = field(post("/api/login", null, credentials).body(), "token");
            room = Long.parseLong(field(post("/api/rooms", token, "{\"name\":\"kept\",\"isPrivate\":false}").body(),
                    "id"));
            assertThat(post("/api/rooms/" + room + "/messages", token, "{\"text\":\"before the backup\"}")
                    .statusCode()).isEqualTo(201);

            run(sqlite3.toString(), database.toString(), ".backup '" + backup + "'");
            assertThat(post("/api/rooms/" + room + "/messages", token, "{\"text\":\"after the backup\"}")
                    .statusCode()).isEqualTo(201);
        } finally {
            assertThat(Release.stop(corral)).isZero();
        }

        Files.copy(backup, database, StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(Path.of(database + "-wal"));
        Files.deleteIfExists(Path.of(database + "-shm"));
        assertThat(run(sqlite3.toString(), database.toString(), "PRAGMA integrity_check")).isEqualTo("ok");

        corral = Release.start(command, state, Map.of(), tmp.resolve("stderr-2.log"));
        try {
            Release.awaitOk(url("/health"), System.nanoTime());
            String history = get("/api/rooms/" + room + "/messages", token).body();
            assertThat(history).contains("before the backup").doesNotContain("after the backup");
        } finally {
            assertThat(Release.stop(corral)).isZero();
        }
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }

    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":\"?([^\",}]+)").matcher(json);
        assertThat(matcher.find()).as(name + " in " + json).isTrue();
        return matcher.group(1);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private HttpResponse<String> post(String path, String token, String json) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
