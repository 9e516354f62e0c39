package io.corral.chat;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import io.corral.testing.RawWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Must-show of the chat issues: 8 senders on 4 worker processes post 2,000 messages to one room, some of them twice
 * with the same client id (a retry after a lost answer), and between them reply, edit, delete and react (to
 * anyone's messages, which others may be deleting meanwhile). The room's log must be exactly 1..N, each client id
 * once; a socket that watched it all, one that dropped and resumed from its last seq, and the history pages must
 * end with the same state of every message.
 */
class ChatConcurrencyIT {
    private static final int SENDERS = 8;
    private static final int PER_SENDER = 250;
    private static final List<String> EMOJI = List.of("👍", "🎉", "👀");

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("sqlite"), Arguments.of("mariadb"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void eightSendersOnFourWorkersGetOneGaplessLogAndEveryReaderTheSameState(String database) throws Exception {
        // 250 posts each, as fast as they go: a load, not a person, so the posting limit is off.
        try (var chat = ChatService.start(database, 4, Map.of("CHAT_LIMIT_POSTS", "off"));
             ExecutorService senders = Executors.newFixedThreadPool(SENDERS)) {
            int port = chat.port();
            var owner = ChatClient.signUp(port, "owner");
            long room = owner.call("POST", "/api/rooms", Map.of("name", "busy")).body().get("id").asLong();
            String path = "/api/rooms/" + room + "/messages";
            var watcher = new Reader(port, owner, room, new RoomState(), Long.MAX_VALUE);
            var dropper = new Reader(port, owner, room, new RoomState(), 300);
            List<Future<?>> sent = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                var sender = ChatClient.signUp(port, "sender" + s);
                sender.call("POST", "/api/rooms/" + room + "/join", null);
                int id = s;
                sent.add(senders.submit(() -> {
                    var random = new java.util.Random(id);
                    var mine = new ArrayList<Long>();
                    long newest = 0;
                    for (int m = 0; m < PER_SENDER; m++) {
                        var body = new java.util.HashMap<String, Object>(Map.of("text", "from " + id + " #" + m,
                                "clientId", id + "-" + m));
                        if (m % 5 == 4 && !mine.isEmpty()) {
                            body.put("replyTo", mine.getLast());
                        }
                        var reply = sender.call("POST", path, body);
                        assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(201);
                        long seq = reply.body().get("seq").asLong();
                        mine.add(seq);
                        newest = Math.max(newest, seq);
                        if (m % 10 == 0) {  // a retry, as after a lost answer: the same message comes back
                            var again = sender.call("POST", path, body);
                            assertThat(again.body().get("seq").asLong()).isEqualTo(seq);
                        }
                        if (m % 7 == 3) {
                            assertThat(sender.call("PATCH", path + "/" + mine.get(random.nextInt(mine.size())),
                                    Map.of("text", "edited by " + id + " at " + m)).status()).isEqualTo(200);
                        }
                        if (m % 11 == 5) {  // anyone's event: 404 for what is not (or no longer) a message
                            String emoji = EMOJI.get(random.nextInt(EMOJI.size()));
                            String at = path + "/" + (1 + random.nextInt((int) newest)) + "/reactions/"
                                    + java.net.URLEncoder.encode(emoji, java.nio.charset.StandardCharsets.UTF_8);
                            assertThat(sender.call(random.nextBoolean() ? "PUT" : "DELETE", at, null).status())
                                    .isIn(200, 201, 204, 404);
                        }
                        if (m % 13 == 8) {
                            long gone = mine.remove(random.nextInt(mine.size()));
                            assertThat(sender.call("DELETE", path + "/" + gone, null).status()).isEqualTo(200);
                        }
                    }
                    return null;
                }));
            }
            dropper.awaitEnd();
            await().atMost(Duration.ofSeconds(60)).until(() -> lastSeq(owner, room) >= 1000);
            var resumed = new Reader(port, owner, room, dropper.state, Long.MAX_VALUE);
            for (Future<?> future : sent) {
                future.get();
            }
            long last = lastSeq(owner, room);
            watcher.awaitSeq(last);
            resumed.awaitSeq(last);

            var fromHistory = new RoomState();
            Set<String> clientIds = new HashSet<>();
            long messages = 0;
            while (fromHistory.lastSeq() < last) {
                JsonNode events = owner.get(path + "?after=" + fromHistory.lastSeq() + "&limit=200").body()
                        .get("events");
                assertThat(events.isEmpty()).as("a page after " + fromHistory.lastSeq()).isFalse();
                for (JsonNode event : events) {
                    fromHistory.apply(event);
                    if (event.get("kind").asString().equals("message")) {
                        messages++;
                        assertThat(clientIds.add(event.get("userId").asLong() + "/"
                                + event.get("clientId").asString())).as("client id seen once").isTrue();
                    }
                }
            }
            assertThat(messages).isEqualTo(SENDERS * PER_SENDER);
            assertThat(last).as("messages, edits, deletions and reactions").isGreaterThan(messages + 300);
            assertThat(fromHistory.toString()).as("replies, deletions, reactions and edits all happened")
                    .containsPattern("reply to \\d+").contains("| null | null", "👍", "edited by");
            assertThat(watcher.state.toString()).as("the socket that saw it all, live")
                    .isEqualTo(fromHistory.toString());
            assertThat(resumed.state.toString()).as("the socket that dropped and resumed")
                    .isEqualTo(fromHistory.toString());
            watcher.close();
            resumed.close();
        }
    }

    private static long lastSeq(ChatClient client, long room) throws Exception {
        return client.get("/api/rooms/" + room).body().get("lastSeq").asLong();
    }

    /** A socket subscribed to the room, folding the events it gets into a {@link RoomState}, until {@code stopAt}. */
    private static final class Reader implements AutoCloseable {
        final RoomState state;
        private final RawWebSocket ws;
        private final Thread thread;
        private volatile Throwable failure;

        Reader(int port, ChatClient client, long room, RoomState from, long stopAt) throws Exception {
            state = from;
            ws = WorkerConnections.signedIn(port, client);
            ws.sendText("{\"type\": \"subscribe\", \"room\": " + room + ", \"after\": " + from.lastSeq() + "}");
            thread = Thread.ofVirtual().start(() -> {
                try {
                    while (state.lastSeq() < stopAt) {
                        JsonNode event = WorkerConnections.next(ws, "event");
                        if (event == null) {
                            return;
                        }
                        synchronized (state) {
                            state.apply(event.get("event"));
                        }
                    }
                    ws.close();  // dropped, mid-stream
                } catch (Throwable e) {
                    failure = e;
                }
            });
        }

        void awaitEnd() throws Exception {
            thread.join(Duration.ofSeconds(120));
            assertThat(failure).isNull();
            assertThat(thread.isAlive()).isFalse();
        }

        void awaitSeq(long seq) {
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                if (failure != null) {
                    throw new AssertionError(failure);
                }
                synchronized (state) {
                    return state.lastSeq() >= seq;
                }
            });
        }

        @Override
        public void close() throws Exception {
            ws.close();
            thread.join(Duration.ofSeconds(10));
        }
    }
}
