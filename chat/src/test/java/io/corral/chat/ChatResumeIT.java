package io.corral.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.testing.CorralProcess;
import io.corral.testing.WsClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Must-show of the chat issue: a client drops mid-stream while another keeps sending, reconnects (to whichever of
 * the two workers the kernel picks) with the last sequence it saw, and ends with exactly the full sequence.
 */
class ChatResumeIT {
    private static final int MESSAGES = 300;

    @Test
    void aClientThatDropsAndResumesFromItsLastSeqGetsEverythingExactlyOnce() throws Exception {
        var env = Map.of("DATABASE_URL", "jdbc:sqlite:" + Files.createTempDirectory("chat-") + "/chat.db",
                "CHAT_ARGON2_MEMORY_KIB", "1024", "CHAT_LIMIT_POSTS", "off");
        try (var corral = CorralProcess.start(env, List.of(), "-w", "2", "-b", "127.0.0.1:0",
                ChatApp.class.getName())) {
            int port = corral.port();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> corral.count(Pattern.compile("worker \\d+ \\(pid \\d+\\) ready")) >= 2);
            var alice = ChatClient.signUp(port, "alice");
            var bob = ChatClient.signUp(port, "bob");
            long room = alice.call("POST", "/api/rooms", Map.of("name", "stream")).body().get("id").asLong();
            bob.call("POST", "/api/rooms/" + room + "/join", null);

            WsClient watcher = subscribe(port, alice.token(), room, 0);
            awaitPresence(watcher, List.of("alice"));

            Thread writer = Thread.ofVirtual().start(() -> {
                for (int i = 1; i <= MESSAGES; i++) {
                    try {
                        alice.call("POST", "/api/rooms/" + room + "/messages", Map.of("text", "m" + i));
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
            });

            List<Long> seen = new ArrayList<>();
            WsClient socket = subscribe(port, bob.token(), room, 0);
            while (seen.size() < 50) {
                collect(socket, seen);
            }
            socket.close();  // dropped mid-stream; alice keeps sending
            awaitPresence(watcher, List.of("alice"));
            await().atMost(Duration.ofSeconds(30)).until(() -> lastSeq(alice, room) >= seen.getLast() + 50);

            socket = subscribe(port, bob.token(), room, seen.getLast());
            while (seen.isEmpty() || seen.getLast() < MESSAGES) {
                collect(socket, seen);
            }
            writer.join();
            socket.close();
            assertThat(seen).hasSize(MESSAGES);
            for (int i = 0; i < MESSAGES; i++) {
                assertThat(seen.get(i)).as("event %d", i).isEqualTo(i + 1L);
            }
            // Bob's sockets left the room while alice watched it: a closing socket's own presence change once
            // reached its already shut-down delivery queue, and a RejectedExecutionException went to stderr.
            awaitPresence(watcher, List.of("alice"));
            watcher.close();
            assertThat(corral.lines()).noneMatch(line -> line.contains("Exception"));
        }
    }

    private static WsClient subscribe(int port, String token, long room, long after) throws Exception {
        WsClient socket = WsClient.connect(port, "/ws");
        socket.send(ChatClient.JSON.writeValueAsString(Map.of("type", "auth", "token", token)));
        assertThat(socket.next()).contains("\"type\":\"ready\"");
        socket.send(ChatClient.JSON.writeValueAsString(Map.of("type", "subscribe", "room", room, "after", after)));
        return socket;
    }

    /** Reads until a presence message lists exactly {@code online}; events on the way are skipped. */
    private static void awaitPresence(WsClient socket, List<String> online) throws Exception {
        while (true) {
            JsonNode message = ChatClient.JSON.readTree(socket.next());
            if (message.get("type").asString().equals("presence")
                    && ChatClient.JSON.convertValue(message.get("online"), List.class).equals(online)) {
                return;
            }
        }
    }

    /** Takes the next message; an event's seq goes into {@code seen}. */
    private static void collect(WsClient socket, List<Long> seen) throws Exception {
        JsonNode message = ChatClient.JSON.readTree(socket.next());
        if (message.get("type").asString().equals("event")) {
            seen.add(message.get("event").get("seq").asLong());
        }
    }

    private static long lastSeq(ChatClient client, long room) throws Exception {
        return client.get("/api/rooms/" + room).body().get("lastSeq").asLong();
    }
}
