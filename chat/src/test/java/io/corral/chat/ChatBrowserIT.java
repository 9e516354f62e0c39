package io.corral.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.testing.RequiredService;
import io.corral.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two people chat from two contexts of a real Chromium (Debian's, driven by Playwright from npm: chat-browser.mjs),
 * through the web client at {@code /}. The screenshot it takes is the one in docs/.
 */
class ChatBrowserIT {
    private static final Path SCRIPTS = Path.of("src/test/node");

    @Test
    @SuppressWarnings("unchecked")
    void twoUsersInTwoBrowsersSeeEachOthersMessagesAndNoMarkupRuns() throws Exception {
        Path node = RequiredService.require("node", "apt-get install nodejs npm");
        RequiredService.require("/usr/bin/chromium", "apt-get install chromium");
        if (!Files.isDirectory(SCRIPTS.resolve("node_modules/playwright-core"))) {
            RequiredService.require(SCRIPTS.resolve("node_modules/playwright-core").toAbsolutePath().toString(),
                    "npm ci --prefix chat/src/test/node");
        }
        Path screenshot = Path.of("target/chat-two-browsers.png").toAbsolutePath();
        var env = Map.of("DATABASE_URL", "jdbc:sqlite:" + Files.createTempDirectory("chat-") + "/chat.db",
                "CHAT_ARGON2_MEMORY_KIB", "1024");
        try (var server = TestServer.start(new ChatApp(env))) {
            Process browser = new ProcessBuilder(node.toString(), "chat-browser.mjs",
                    "http://127.0.0.1:" + server.port(), screenshot.toString())
                    .directory(SCRIPTS.toFile()).redirectErrorStream(true).start();
            assertThat(browser.waitFor(120, TimeUnit.SECONDS)).as("the browser run finished").isTrue();
            String output = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            String last = output.lines().reduce((a, b) -> b).orElse("");
            Map<String, Object> seen = ChatClient.JSON.readValue(last, Map.class);

            assertThat(seen).as(output).doesNotContainKeys("error", "alicePageError", "bobPageError");
            assertThat((List<String>) seen.get("bobSees")).anyMatch(m -> m.startsWith("alice")
                    && m.contains("hello bob <img src=x onerror=\"window.pwned=1\">"));
            assertThat((List<String>) seen.get("aliceSees")).contains("bobhi alice!")
                .as("a reaction shows on its message, not as a line").hasSize(2)
                .anyMatch(m -> m.startsWith("alicehello bob") && m.endsWith("👍 1"));
            assertThat(seen.get("injected")).as("markup in a message ran or rendered").isEqualTo(false);
            assertThat((String) seen.get("alicePresence")).contains("alice").contains("bob");
            assertThat(screenshot).exists();
        }
    }
}
