package io.corral.chat.web;

import io.corral.app.Broker;
import io.corral.app.HttpError;
import io.corral.app.InvalidInput;
import io.corral.app.Presence;
import io.corral.app.WsListener;
import io.corral.app.WsSession;
import io.corral.chat.account.Accounts;
import io.corral.chat.account.User;
import io.corral.chat.message.ChatEvent;
import io.corral.chat.message.Messages;
import io.corral.chat.room.Room;
import io.corral.chat.room.Rooms;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One client's {@code /ws} session (docs/chat-protocol.md): authenticate with the first frame (the token never goes
 * in a URL, where proxies log it), then subscribe to rooms from a sequence number, send with an ack, type, read.
 * A bad frame gets an {@code error} message and the session goes on; an unauthenticated one closes with 4401.
 */
final class ChatSocket implements WsListener {
    static final int UNAUTHORIZED = 4401;
    private static final long AUTH_SECONDS = 10;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Accounts accounts;
    private final Rooms rooms;
    private final Messages messages;
    private final Broker broker;
    private final Presence presence;
    private final ScheduledExecutorService timers;
    /**
     * Room deliveries in order, one socket at a time: a virtual thread per socket while it has work. Once the socket
     * has closed, a delivery that still arrives (its own presence change, a message published meanwhile) has no one
     * to go to and is dropped, rather than thrown back at the broker or presence thread that brought it.
     */
    private final ExecutorService serial = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), Thread.ofVirtual().factory(), new ThreadPoolExecutor.DiscardPolicy());
    private final Map<Long, RoomFeed> feeds = new ConcurrentHashMap<>();
    private volatile User user;

    ChatSocket(Accounts accounts, Rooms rooms, Messages messages, Broker broker, Presence presence,
               ScheduledExecutorService timers) {
        this.accounts = accounts;
        this.rooms = rooms;
        this.messages = messages;
        this.broker = broker;
        this.presence = presence;
        this.timers = timers;
    }

    @Override
    public void onOpen(WsSession session) {
        timers.schedule(() -> {
            if (user == null) {
                session.close(UNAUTHORIZED, "authenticate first");
            }
        }, AUTH_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void onText(WsSession session, String text) throws Exception {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (JacksonException e) {
            error(session, "bad_json", "not a JSON object");
            return;
        }
        String type = frame.path("type").asString("");
        if (user == null) {
            authenticate(session, type, frame);
            return;
        }
        try {
            switch (type) {
                case "subscribe" -> subscribe(session, frame);
                case "unsubscribe" -> {
                    RoomFeed feed = feeds.remove(frame.path("room").asLong());
                    if (feed != null) {
                        serial.execute(feed::stop);
                    }
                }
                case "send" -> send(session, frame);
                case "typing" -> typing(frame);
                case "read" -> rooms.markRead(user, frame.path("room").asLong(), frame.path("seq").asLong());
                default -> error(session, "bad_type", "unknown message type '" + type + "'");
            }
        } catch (HttpError e) {
            error(session, "http_" + e.status(), e.getMessage());
        } catch (InvalidInput e) {
            error(session, "invalid", e.getMessage());
        } catch (SQLException e) {
            error(session, "unavailable", "database unavailable, try again shortly");
        }
    }

    private void authenticate(WsSession session, String type, JsonNode frame) throws SQLException {
        if (!type.equals("auth")) {
            session.close(UNAUTHORIZED, "authenticate first");
            return;
        }
        User found = accounts.userFor(frame.path("token").asString("")).orElse(null);
        if (found == null) {
            session.close(UNAUTHORIZED, "invalid token");
            return;
        }
        user = found;
        reply(session, Map.of("type", "ready", "user", found));
    }

    private void subscribe(WsSession session, JsonNode frame) throws SQLException {
        long roomId = frame.path("room").asLong();
        Room room = rooms.readable(user, roomId);
        long after = Math.max(0, frame.path("after").asLong(0));
        var feed = new RoomFeed(roomId, session, messages, presence, serial);
        RoomFeed previous = feeds.put(roomId, feed);
        serial.execute(() -> {
            if (previous != null) {
                previous.stop();
            }
            try {
                feed.start(broker, user.username(), after, room.lastSeq());
            } catch (SQLException e) {
                error(session, "unavailable", "database unavailable, try again shortly");
            }
        });
    }

    private void send(WsSession session, JsonNode frame) throws SQLException {
        long roomId = frame.path("room").asLong();
        String clientId = frame.hasNonNull("clientId") ? frame.get("clientId").asString() : null;
        ChatEvent event = messages.send(user, roomId,
                new Messages.NewMessage(frame.path("text").asString(null), clientId));
        var ack = new java.util.HashMap<String, Object>(Map.of("type", "ack", "room", roomId, "seq", event.seq()));
        if (clientId != null) {
            ack.put("clientId", clientId);
        }
        reply(session, ack);
    }

    private void typing(JsonNode frame) throws SQLException {
        long roomId = frame.path("room").asLong();
        rooms.writable(user, roomId);
        broker.publish(Messages.topic(roomId), JSON.writeValueAsBytes(
                Map.of("type", "typing", "room", roomId, "user", user.username())));
    }

    private static void error(WsSession session, String code, String message) {
        reply(session, Map.of("type", "error", "code", code, "message", message));
    }

    private static void reply(WsSession session, Object message) {
        session.send(JSON.writeValueAsString(message));
    }

    @Override
    public void onClose(WsSession session, int code, String reason) {
        serial.execute(() -> feeds.values().forEach(RoomFeed::stop));
        serial.shutdown();
    }
}
