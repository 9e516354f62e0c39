package io.corral.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.testing.RequiredService;
import io.corral.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Interoperability with a WebSocket implementation that shares no code with ours: Node's {@code ws}
 * (src/test/node, installed by {@code npm ci} in .ci/run and test.sh) runs every scenario of ws-interop.mjs
 * against a real worker.
 */
class NodeWsClientIT {
    private static final Path SCRIPTS = Path.of("src/test/node");

    @Test
    @SuppressWarnings("unchecked")
    void nodesWsClientAgreesWithCorralOnEveryScenario() throws Exception {
        Path node = RequiredService.require("node", "apt-get install nodejs npm");
        if (!Files.isDirectory(SCRIPTS.resolve("node_modules/ws"))) {
            RequiredService.require(SCRIPTS.resolve("node_modules/ws").toAbsolutePath().toString(),
                    "npm ci --prefix corral/src/test/node");
        }
        var app = new WsTestApp();
        try (var server = TestServer.start(app, "--ws-max-size", "4096", "--ws-ping-interval", "0")) {
            Process process = new ProcessBuilder(node.toString(), "ws-interop.mjs", "ws://127.0.0.1:" + server.port())
                    .directory(SCRIPTS.toFile()).redirectErrorStream(true).start();
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("node finished").isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            String last = output.lines().reduce((a, b) -> b).orElse("");
            Map<String, Object> results = JsonMapper.builder().build().readValue(last, Map.class);

            assertThat(results.get("textAndSubprotocol"))
                    .isEqualTo(Map.of("protocol", "chat.v1", "echo", "hello from node"));
            assertThat(results.get("binary")).isEqualTo(Map.of("binary", true, "bytes", List.of(0, 1, 2, 255)));
            assertThat(results.get("fragments")).isEqualTo("fragmented");
            assertThat(results.get("pingPong")).isEqualTo("are you there");
            assertThat((Map<String, Object>) results.get("deflate"))
                    .containsEntry("same", true)
                    .hasEntrySatisfying("extensions", e -> assertThat((String) e).startsWith("permessage-deflate"));
            assertThat(results.get("maxSize")).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
            assertThat(results.get("invalidUtf8")).isEqualTo(CloseCodes.INVALID_PAYLOAD);
            assertThat(results.get("appFailure")).isEqualTo(CloseCodes.INTERNAL_ERROR);
            assertThat(results.get("serverClose")).isEqualTo(4001);
            assertThat(results.get("clientClose")).isEqualTo(1000);
            assertThat(results.get("foreignOrigin")).isEqualTo("status 403");
            // The close frame of a cut-off reader may be lost behind the unread data (then node sees 1006); the
            // server's side of it is certain:
            assertThat(results.get("slowReader")).isIn(CloseCodes.POLICY_VIOLATION, CloseCodes.ABNORMAL);
            await().atMost(Duration.ofSeconds(10)).until(() -> app.closes.contains("1008 client too slow to read"));
        }
    }
}
