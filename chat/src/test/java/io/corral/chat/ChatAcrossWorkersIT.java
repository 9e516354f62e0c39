package io.corral.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.testing.RawResponse;
import io.corral.testing.RawWebSocket;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The rules of issues 20 and 21 that cross workers, on two worker processes: what one worker is told (a logout, a
 * password change, a member leaving, a mention, a reaction, a read marker, a new conversation) reaches the sockets
 * another worker holds, and a limit counts requests on both.
 */
class ChatAcrossWorkersIT {

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("sqlite"), Arguments.of("mariadb"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void logoutPasswordChangeAndLeavingReachTheSocketsOfEveryWorker(String database) throws Exception {
        // The check of open sockets (30 s) is put off: the closes here must come through the broker.
        try (var chat = ChatService.start(database, 2, Map.of("CHAT_SESSION_CHECK_INTERVAL", "1h"))) {
            var on = new WorkerConnections(chat.corral());
            long[] workers = on.workers();
            var ann = ChatClient.signUp(chat.port(), "ann");
            var annLaptop = ChatClient.logIn(chat.port(), "ann");
            var bob = ChatClient.signUp(chat.port(), "bob");
            long room = ann.call("POST", "/api/rooms", Map.of("name", "lobby")).body().get("id").asLong();
            bob.call("POST", "/api/rooms/" + room + "/join", null);

            // Leaving: bob's feed of the room ends on both workers, and ann sees him go offline.
            RawWebSocket bobOnA = subscribed(on.socketOn(workers[0], bob.token()), room);
            RawWebSocket bobOnB = subscribed(on.socketOn(workers[1], bob.token()), room);
            RawWebSocket annOnA = subscribed(on.socketOn(workers[0], ann.token()), room);
            awaitOnline(annOnA, List.of("ann", "bob"));
            RawResponse left = on.call(workers[0], "POST", "/api/rooms/" + room + "/leave", bob.token(), null, "");
            assertThat(left.status()).isEqualTo(204);
            for (RawWebSocket socket : List.of(bobOnA, bobOnB)) {
                JsonNode lost = WorkerConnections.next(socket, "error");
                assertThat(lost.get("code").asString()).isEqualTo("room_lost");
                assertThat(lost.get("room").asLong()).isEqualTo(room);
            }
            awaitOnline(annOnA, List.of("ann"));
            assertThat(ann.call("POST", "/api/rooms/" + room + "/messages", Map.of("text", "after bob left")).status())
                    .isEqualTo(201);
            assertThat(WorkerConnections.next(annOnA, "event").get("event").get("text").asString())
                    .isEqualTo("after bob left");
            long other = ann.call("POST", "/api/rooms", Map.of("name", "other")).body().get("id").asLong();
            for (RawWebSocket socket : List.of(bobOnA, bobOnB)) {  // a probe through the socket's serial order
                socket.sendText("{\"type\": \"subscribe\", \"room\": " + other + ", \"after\": 0}");
                assertThat(WorkerConnections.until(socket, "subscribed")).as("frames after leaving")
                        .noneMatch(frame -> frame.path("type").asString("").equals("event"));
            }
            bobOnA.sendText("{\"type\": \"subscribe\", \"room\": " + room + ", \"after\": 0}");
            assertThat(WorkerConnections.next(bobOnA, "event").get("event").get("text").asString())
                    .as("a public room stays readable: the catch-up of a new feed (the ended one sent nothing)")
                    .isEqualTo("after bob left");
            assertThat(WorkerConnections.next(bobOnA, "subscribed").get("seq").asLong()).isEqualTo(1);

            // A password change through one worker closes the other sessions' sockets on both; this one stays.
            RawWebSocket laptopOnA = on.socketOn(workers[0], annLaptop.token());
            RawWebSocket laptopOnB = on.socketOn(workers[1], annLaptop.token());
            RawWebSocket annOnB = on.socketOn(workers[1], ann.token());
            RawResponse changed = on.call(workers[0], "POST", "/api/me/password", ann.token(),
                    Map.of("currentPassword", "password-ann", "newPassword", "a new password"), "");
            assertThat(changed.status()).isEqualTo(204);
            assertThat(WorkerConnections.closeCode(laptopOnA)).isEqualTo(4401);
            assertThat(WorkerConnections.closeCode(laptopOnB)).isEqualTo(4401);
            assertThat(annLaptop.get("/api/me").status()).isEqualTo(401);
            annOnB.sendText("{\"type\": \"subscribe\", \"room\": " + room + ", \"after\": 0}");
            assertThat(WorkerConnections.next(annOnB, "subscribed")).as("the changing session goes on").isNotNull();

            // A logout through worker A closes the session's socket held by worker B, and A's own.
            RawResponse out = on.call(workers[0], "POST", "/api/logout", ann.token(), null, "");
            assertThat(out.status()).isEqualTo(204);
            assertThat(WorkerConnections.closeCode(annOnB)).isEqualTo(4401);
            assertThat(WorkerConnections.closeCode(annOnA)).isEqualTo(4401);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aLimitCountsTheRequestsOfBothWorkers(String database) throws Exception {
        try (var chat = ChatService.start(database, 2, Map.of("CHAT_LIMIT_LOGIN_PER_ACCOUNT", "4/1m",
                "CHAT_LIMIT_POSTS", "4/1m"))) {
            var on = new WorkerConnections(chat.corral());
            long[] workers = on.workers();
            var ann = ChatClient.signUp(chat.port(), "ann");
            String attacker = "X-Forwarded-For: 203.0.113.66\r\n";
            for (int i = 0; i < 4; i++) {
                RawResponse wrong = on.call(workers[i % 2], "POST", "/api/login", null,
                        Map.of("username", "ann", "password", "guess " + i), attacker);
                assertThat(wrong.status()).as("failure %d, on worker %d", i + 1, i % 2 + 1).isEqualTo(401);
            }
            for (long worker : workers) {
                RawResponse refused = on.call(worker, "POST", "/api/login", null,
                        Map.of("username", "ann", "password", "password-ann"), attacker);
                assertThat(refused.status()).as("the attacker's address, on either worker").isEqualTo(429);
                assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
                RawResponse owner = on.call(worker, "POST", "/api/login", null,
                        Map.of("username", "ann", "password", "password-ann"), "X-Forwarded-For: 198.51.100.7\r\n");
                assertThat(owner.status()).as("the owner, from another address").isEqualTo(200);
            }

            long room = ann.call("POST", "/api/rooms", Map.of("name", "busy")).body().get("id").asLong();
            String path = "/api/rooms/" + room + "/messages";
            for (int i = 0; i < 4; i++) {
                RawResponse posted = on.call(workers[i % 2], "POST", path, ann.token(), Map.of("text", "m" + i), "");
                assertThat(posted.status()).as("post %d", i + 1).isEqualTo(201);
            }
            RawResponse refused = on.call(workers[0], "POST", path, ann.token(), Map.of("text", "one more"), "");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).isNotNull();
            RawWebSocket socket = on.socketOn(workers[1], ann.token());
            socket.sendText("{\"type\": \"send\", \"room\": " + room
                    + ", \"text\": \"by socket\", \"clientId\": \"c\"}");
            JsonNode error = WorkerConnections.next(socket, "error");
            assertThat(error.get("code").asString()).isEqualTo("rate_limited");
            assertThat(error.get("clientId").asString()).isEqualTo("c");
            assertThat(error.get("retryAfter").asLong()).isPositive();
            assertThat(ann.get(path).body().get("events").size()).as("nothing stored past the limit").isEqualTo(4);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void mentionsReactionsReceiptsAndNewConversationsReachTheSocketsOfTheOtherWorker(String database)
            throws Exception {
        try (var chat = ChatService.start(database, 2, Map.of())) {
            var on = new WorkerConnections(chat.corral());
            long[] workers = on.workers();
            var ann = ChatClient.signUp(chat.port(), "ann");
            var bob = ChatClient.signUp(chat.port(), "bob");
            long room = ann.call("POST", "/api/rooms", Map.of("name", "lobby")).body().get("id").asLong();
            bob.call("POST", "/api/rooms/" + room + "/join", null);
            RawWebSocket bobOnB = on.socketOn(workers[1], bob.token());  // subscribed to no room: mentions come anyway
            RawWebSocket bobOnA = on.socketOn(workers[0], bob.token());
            RawWebSocket annOnA = subscribed(on.socketOn(workers[0], ann.token()), room);

            String path = "/api/rooms/" + room + "/messages";
            RawResponse posted = on.call(workers[0], "POST", path, ann.token(), Map.of("text", "@bob look"), "");
            assertThat(posted.status()).isEqualTo(201);
            for (RawWebSocket socket : List.of(bobOnB, bobOnA)) {
                JsonNode mention = WorkerConnections.next(socket, "mention");
                assertThat(mention.get("room").asLong()).isEqualTo(room);
                assertThat(mention.get("by").asString()).isEqualTo("ann");
                assertThat(mention.get("text").asString()).isEqualTo("@bob look");
            }

            subscribed(bobOnB, room);
            RawResponse reacted = on.call(workers[0], "PUT", path + "/1/reactions/%F0%9F%91%8D", ann.token(), null, "");
            assertThat(reacted.status()).isEqualTo(201);
            // The next event: the message's catch-up came before "subscribed".
            JsonNode reaction = WorkerConnections.next(bobOnB, "event").get("event");
            assertThat(reaction.get("kind").asString()).isEqualTo("react");
            assertThat(reaction.get("target").asLong()).isEqualTo(1);
            assertThat(reaction.get("reactions").toString()).isEqualTo("{\"👍\":1}");

            RawResponse read = on.call(workers[1], "POST", "/api/rooms/" + room + "/read", bob.token(),
                    Map.of("seq", 2), "");
            assertThat(read.status()).isEqualTo(204);
            JsonNode receipt = WorkerConnections.next(annOnA, "read");
            assertThat(receipt.get("username").asString()).isEqualTo("bob");
            assertThat(receipt.get("seq").asLong()).isEqualTo(2);

            RawResponse opened = on.call(workers[0], "POST", "/api/dm", ann.token(),
                    Map.of("usernames", List.of("bob")), "");
            assertThat(opened.status()).isEqualTo(200);
            long dm = ChatClient.JSON.readTree(opened.body()).get("id").asLong();
            assertThat(WorkerConnections.next(bobOnB, "room_added").get("room").asLong()).isEqualTo(dm);
        }
    }

    private static RawWebSocket subscribed(RawWebSocket socket, long room) throws Exception {
        socket.sendText("{\"type\": \"subscribe\", \"room\": " + room + ", \"after\": 0}");
        assertThat(WorkerConnections.next(socket, "subscribed")).isNotNull();
        return socket;
    }

    private static void awaitOnline(RawWebSocket socket, List<String> expected) throws Exception {
        while (true) {
            JsonNode presence = WorkerConnections.next(socket, "presence");
            assertThat(presence).as("a presence update before the socket closed").isNotNull();
            var online = new java.util.TreeSet<String>();
            presence.get("online").forEach(name -> online.add(name.asString()));
            if (online.equals(new java.util.TreeSet<>(expected))) {
                return;
            }
        }
    }
}
