package io.corral.chat.web;

import io.corral.app.Broker;
import io.corral.app.Presence;
import io.corral.app.WsSession;
import io.corral.chat.message.ChatEvent;
import io.corral.chat.message.Messages;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One socket's subscription to one room: what it missed since the sequence number it names, then live events, in
 * sequence order, none twice. Runs on the socket's own serial executor, so catching up and live events never
 * interleave. Invariant: {@code delivered} is the highest seq sent to the socket, and every seq up to it was sent
 * (or was at or below the client's starting point). A live event beyond {@code delivered + 1} (another worker
 * committed the events between, and their publishes are still on the way) is preceded by a read of the gap.
 */
final class RoomFeed {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long PAGE = 500;

    private final long room;
    private final WsSession session;
    private final Messages messages;
    private final Executor serial;
    private long delivered;
    private Broker.Subscription events;
    private Broker.Subscription presenceWatch;
    private final Presence presence;

    RoomFeed(long room, WsSession session, Messages messages, Presence presence, Executor serial) {
        this.room = room;
        this.session = session;
        this.messages = messages;
        this.presence = presence;
        this.serial = serial;
    }

    /** Subscribes first, then reads what was missed, so nothing published meanwhile is lost. Serial executor. */
    void start(Broker broker, String username, long after, long lastSeq) throws SQLException {
        delivered = after;
        events = broker.subscribe(Messages.topic(room), (topic, payload) -> serial.execute(() -> onLive(payload)));
        catchUp(Math.max(lastSeq, after));
        send(Map.of("type", "subscribed", "room", room, "seq", delivered));
        presence.join(Messages.topic(room), username, session);
        presenceWatch = presence.watch(Messages.topic(room), (topic, online) -> serial.execute(() ->
                send(Map.of("type", "presence", "room", room, "online", online.keySet()))));
        send(Map.of("type", "presence", "room", room, "online", presence.online(Messages.topic(room)).keySet()));
    }

    private void catchUp(long upTo) throws SQLException {
        while (delivered < upTo && session.isOpen()) {  // a socket closed meanwhile (signed out) reads no further
            List<ChatEvent> missed = messages.since(room, delivered, Math.min(upTo, delivered + PAGE));
            if (missed.isEmpty()) {
                return;
            }
            missed.forEach(this::deliver);
        }
    }

    private void onLive(byte[] payload) {
        JsonNode message = JSON.readTree(payload);
        if (message.has("type")) {  // typing: not part of the log
            session.send(message.toString());
            return;
        }
        ChatEvent event = JSON.treeToValue(message, ChatEvent.class);
        if (event.seq() <= delivered) {
            return;
        }
        if (event.seq() > delivered + 1) {
            try {
                catchUp(event.seq() - 1);
            } catch (SQLException e) {
                session.close(1011, "database unavailable");
                return;
            }
        }
        deliver(event);
    }

    private void deliver(ChatEvent event) {
        if (event.seq() == delivered + 1) {
            send(Map.of("type", "event", "event", event));
            delivered = event.seq();
        }
    }

    private void send(Object message) {
        session.send(JSON.writeValueAsString(message));
    }

    void stop() {
        if (events != null) {
            events.unsubscribe();
        }
        if (presenceWatch != null) {
            presenceWatch.unsubscribe();
        }
        presence.leave(Messages.topic(room), session);
    }
}
