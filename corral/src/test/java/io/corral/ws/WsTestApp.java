package io.corral.ws;

import io.corral.app.App;
import io.corral.app.Broker;
import io.corral.app.HttpError;
import io.corral.app.Presence;
import io.corral.app.Routes;
import io.corral.app.WsListener;
import io.corral.app.WsSession;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** The app the WebSocket and broker tests serve, in-process or under a real master. */
public final class WsTestApp implements App {
    /** Every onClose call, as "code reason", for tests in this JVM. */
    public final BlockingQueue<String> closes = new LinkedBlockingQueue<>();
    private static final long PID = ProcessHandle.current().pid();

    @Override
    public void configure(Routes routes) {
        Broker broker = routes.broker();
        Presence presence = routes.presence();
        routes.get("/health", request -> Map.of("status", "healthy", "pid", PID))
                .ws("/ws/echo", List.of("chat.v2", "chat.v1"), request -> new Echo())
                .ws("/ws/auth", request -> {
                    if (!request.queryParam("token").orElse("").equals("ok")) {
                        throw new HttpError(401, "token required");
                    }
                    return new Echo();
                })
                .ws("/ws/topic/{name}", request -> new TopicMember(broker, request.pathParam("name")))
                .ws("/ws/presence/{room}", request -> new PresenceMember(presence, request.pathParam("room"),
                        request.queryParam("user").orElseThrow(() -> new HttpError(422, "user required"))));
    }

    /**
     * Echoes what it gets; "close CODE" makes the server close, "flood N SIZE" sends N messages of SIZE bytes at
     * once, "boom" fails the callback, "pid" answers the worker's pid.
     */
    private final class Echo implements WsListener {
        @Override
        public void onText(WsSession session, String text) {
            String[] words = text.split(" ");
            switch (words[0]) {
                case "close" -> session.close(Integer.parseInt(words[1]), "asked to");
                case "close-then-send" -> {  // as an app whose other thread sends while a close is on its way
                    session.close(1000, "asked to");
                    session.send("after the close");
                }
                case "boom" -> throw new IllegalStateException("the app failed");
                case "pid" -> session.send("pid " + PID);
                case "subprotocol" -> session.send(String.valueOf(session.subprotocol()));
                case "flood" -> {
                    byte[] chunk = new byte[Integer.parseInt(words[2])];
                    int sent = 0;
                    for (int i = 0; i < Integer.parseInt(words[1]) && session.send(chunk); i++) {
                        sent++;
                    }
                    closes.add("flood stopped after " + sent);
                }
                default -> session.send(text);
            }
        }

        @Override
        public void onBinary(WsSession session, byte[] data) {
            session.send(data);
        }

        @Override
        public void onClose(WsSession session, int code, String reason) {
            closes.add(code + " " + reason);
        }
    }

    /** Subscribes to a topic; "pub TEXT" publishes TEXT to it; greets with "ready PID" once subscribed. */
    private static final class TopicMember implements WsListener {
        private final Broker broker;
        private final String topic;
        private Broker.Subscription subscription;

        TopicMember(Broker broker, String topic) {
            this.broker = broker;
            this.topic = topic;
        }

        @Override
        public void onOpen(WsSession session) {
            subscription = broker.subscribe(topic,
                    (t, message) -> session.send(new String(message, StandardCharsets.UTF_8)));
            session.send("ready " + PID);
        }

        @Override
        public void onText(WsSession session, String text) {
            if (text.startsWith("pub ")) {
                broker.publish(topic, text.substring(4).getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void onClose(WsSession session, int code, String reason) {
            if (subscription != null) {
                subscription.unsubscribe();
            }
        }
    }

    /** Joins a room's presence as a user; "who" answers who is online there. */
    private static final class PresenceMember implements WsListener {
        private final Presence presence;
        private final String room;
        private final String user;

        PresenceMember(Presence presence, String room, String user) {
            this.presence = presence;
            this.room = room;
            this.user = user;
        }

        @Override
        public void onOpen(WsSession session) {
            presence.join(room, user, session);
            session.send("ready " + PID);
        }

        @Override
        public void onText(WsSession session, String text) {
            if (text.equals("who")) {
                session.send("online " + new java.util.TreeMap<>(presence.online(room)));
            }
        }
    }
}
