package io.corral.chat;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Must-show of the chat issue: 8 senders on 4 worker processes post 2,000 messages to one room, some of them twice
 * with the same client id (a retry after a lost answer). The room's log must be exactly 1..2000, each client id once.
 */
class ChatConcurrencyIT {
    private static final int SENDERS = 8;
    private static final int PER_SENDER = 250;

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("sqlite"), Arguments.of("mariadb"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void eightSendersOnFourWorkersGetOneGaplessSequenceAndRetriesMakeNoDuplicates(String database) throws Exception {
        // 250 posts each, as fast as they go: a load, not a person, so the posting limit is off.
        try (var chat = ChatService.start(database, 4, Map.of("CHAT_LIMIT_POSTS", "off"));
             ExecutorService senders = Executors.newFixedThreadPool(SENDERS)) {
            int port = chat.port();
            var owner = ChatClient.signUp(port, "owner");
            long room = owner.call("POST", "/api/rooms", Map.of("name", "busy")).body().get("id").asLong();
            List<Future<?>> sent = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                var sender = ChatClient.signUp(port, "sender" + s);
                sender.call("POST", "/api/rooms/" + room + "/join", null);
                int id = s;
                sent.add(senders.submit(() -> {
                    for (int m = 0; m < PER_SENDER; m++) {
                        var body = Map.of("text", "from " + id + " #" + m, "clientId", id + "-" + m);
                        var reply = sender.call("POST", "/api/rooms/" + room + "/messages", body);
                        assertThat(reply.status()).isEqualTo(201);
                        if (m % 10 == 0) {  // a retry, as after a lost answer: the same message comes back
                            var again = sender.call("POST", "/api/rooms/" + room + "/messages", body);
                            assertThat(again.body().get("seq").asLong()).isEqualTo(reply.body().get("seq").asLong());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : sent) {
                future.get();
            }
            List<Long> seqs = new ArrayList<>();
            Set<String> clientIds = new HashSet<>();
            long after = 0;
            while (true) {
                JsonNode events = owner.get("/api/rooms/" + room + "/messages?after=" + after + "&limit=200")
                        .body().get("events");
                if (events.isEmpty()) {
                    break;
                }
                for (JsonNode event : events) {
                    seqs.add(event.get("seq").asLong());
                    assertThat(clientIds.add(event.get("userId").asLong() + "/" + event.get("clientId").asString()))
                            .as("client id seen once").isTrue();
                    after = event.get("seq").asLong();
                }
            }
            assertThat(seqs).hasSize(SENDERS * PER_SENDER);
            for (int i = 0; i < seqs.size(); i++) {
                assertThat(seqs.get(i)).isEqualTo(i + 1L);
            }
        }
    }
}
