package io.corral.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive, unpacked into an empty folder and started as docs/deployment.md says, serves Corral Chat. */
class ReleaseArchiveIT {
    @TempDir
    Path empty;

    @Test
    void unpackedIntoAnEmptyFolderAndStartedWithTheDocumentedCommandItServesHealth() throws Exception {
        Path home = Release.unpack(empty);
        assertThat(Files.isExecutable(home.resolve("bin/corral"))).isTrue();
        for (String shipped : List.of("deploy/systemd/corral-chat.service", "deploy/systemd/corral-chat.socket",
                "deploy/nginx/corral-chat.conf", "deploy/logrotate/corral-chat", "docs/deployment.md",
                "etc/environment.example")) {
            assertThat(home.resolve(shipped)).as(shipped).exists();
        }
        try (var lib = Files.list(home.resolve("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("corral-0")).anyMatch(n -> n.startsWith("corral-chat-"));
        }
        Path state = Files.createDirectory(empty.resolve("state"));
        int port = Release.freePort();
        long started = System.nanoTime();
        Process corral = Release.start(List.of(home.resolve("bin/corral").toString(), "io.corral.chat.ChatApp",
                "-w", "1", "-b", "127.0.0.1:" + port), state, Map.of(), empty.resolve("stderr.log"));
        try {
            long readyMillis = Release.awaitOk("http://127.0.0.1:" + port + "/health", started);
            assertThat(Release.get("http://127.0.0.1:" + port + "/health").body())
                    .isEqualTo("{\"status\":\"healthy\"}");
            assertThat(state.resolve("data/chat.db")).as("SQLite created on first start").exists();
            System.out.printf("release archive %d bytes; start to first /health 200: %d ms%n",
                    Files.size(Release.archive()), readyMillis);
        } finally {
            assertThat(Release.stop(corral)).as("exit code after TERM").isZero();
        }
    }
}
