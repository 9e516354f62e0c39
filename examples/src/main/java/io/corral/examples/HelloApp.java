package io.corral.examples;

import io.corral.app.App;
import io.corral.app.Broker;
import io.corral.app.Handler;
import io.corral.app.InvalidInput;
import io.corral.app.Response;
import io.corral.app.Routes;
import io.corral.app.WsListener;
import io.corral.app.WsSession;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The smallest useful Corral app, and the one {@code bench/} measures: a health check, a JSON route, an echo of a
 * validated JSON body, path parameters, a streamed response, and a WebSocket room whose messages reach every member
 * on every worker. It imports {@code io.corral.app} only. The health check and the JSON route are
 * {@link Handler#nonBlocking}: they only read memory.
 */
public final class HelloApp implements App {
    private static final Map<String, String> HEALTHY = Map.of("status", "healthy");

    /** The JSON route's body: small, but a real object graph for Jackson to write. */
    record Greeting(String message, int number, List<String> tags, Instant at) {
    }

    /** A posted note; its compact constructor is its validation. */
    record Note(String text, int priority) {
        Note {
            if (text == null || text.isBlank()) {
                throw InvalidInput.field("text", "Field required", "missing");
            }
            if (text.length() > 200) {
                throw InvalidInput.field("text", "String should have at most 200 characters", "string_too_long");
            }
        }
    }

    /** A room member: what it sends goes to the room's topic, what the topic carries comes back to it. */
    static final class RoomMember implements WsListener {
        private final Broker broker;
        private final String room;
        private Broker.Subscription subscription;

        RoomMember(Broker broker, String room) {
            this.broker = broker;
            this.room = room;
        }

        @Override
        public void onOpen(WsSession session) {
            subscription = broker.subscribe(room,
                    (topic, message) -> session.send(new String(message, StandardCharsets.UTF_8)));
        }

        @Override
        public void onText(WsSession session, String text) {
            broker.publish(room, text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void onClose(WsSession session, int code, String reason) {
            if (subscription != null) {
                subscription.unsubscribe();
            }
        }
    }

    @Override
    public void configure(Routes routes) {
        // Computed from memory, so they run on the event loop, as the reference's `async def` routes do on its loop;
        // the rest run on virtual threads.
        routes.get("/health", Handler.nonBlocking(request -> HEALTHY))
                .get("/json", Handler.nonBlocking(request -> new Greeting("Hello, World!", 42,
                        List.of("corral", "java"), Instant.ofEpochSecond(1_764_000_000L))))
                .post("/notes", request -> Response.json(201, request.bodyAs(Note.class)))
                .get("/hello/{name}", request -> Map.of("hello", request.pathParam("name")))
                .get("/count/{n}", request -> Response.stream("text/plain; charset=utf-8", out -> {
                    int n = Integer.parseInt(request.pathParam("n"));
                    for (int i = 1; i <= n; i++) {
                        out.write((i + "\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                }))
                .ws("/ws/{room}", request -> new RoomMember(routes.broker(), request.pathParam("room")));
    }
}
