package io.corral.chat.web;

import io.corral.app.Broker;
import io.corral.app.HttpError;
import io.corral.app.InvalidInput;
import io.corral.app.Presence;
import io.corral.app.WsListener;
import io.corral.app.WsSession;
import io.corral.chat.account.AccessChange;
import io.corral.chat.account.Accounts;
import io.corral.chat.account.Inbox;
import io.corral.chat.account.SignedIn;
import io.corral.chat.account.User;
import io.corral.chat.message.ChatEvent;
import io.corral.chat.message.Messages;
import io.corral.chat.room.Room;
import io.corral.chat.room.Rooms;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
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
    private static final long TYPING_INTERVAL_NANOS = 1_000_000_000L;
    private static final int MAX_TYPING_ROOMS = 1000;
    private final Map<Long, RoomFeed> feeds = new ConcurrentHashMap<>();
    private final Map<Long, Long> lastTyping = new ConcurrentHashMap<>();
    private final Set<Long> privateFeeds = ConcurrentHashMap.newKeySet();
    private final Set<ChatSocket> open;
    private volatile User user;
    private volatile String sessionId;
    private volatile long userId;
    private volatile WsSession socket;
    private volatile Broker.Subscription accessChanges;
    private volatile Broker.Subscription inbox;

    ChatSocket(Accounts accounts, Rooms rooms, Messages messages, Broker broker, Presence presence,
               ScheduledExecutorService timers, Set<ChatSocket> open) {
        this.accounts = accounts;
        this.rooms = rooms;
        this.messages = messages;
        this.broker = broker;
        this.presence = presence;
        this.timers = timers;
        this.open = open;
    }

    /** The public id of the session this socket signed in with; null before it has. */
    String sessionId() {
        return sessionId;
    }

    /** The signed-in user's id (set with {@link #sessionId()}, before it is visible to the sweep). */
    long userId() {
        return userId;
    }

    /** Ends the socket because its session has: revoked, expired, the account gone. Any thread. */
    void sessionEnded(String reason) {
        WsSession current = socket;
        if (current != null) {
            current.close(UNAUTHORIZED, reason);
        }
    }

    @Override
    public void onOpen(WsSession session) {
        socket = session;
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
                    long room = frame.path("room").asLong();
                    serial.execute(() -> endFeed(room));  // after a subscribe still queued there, not before
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
        SignedIn found = accounts.sessionFor(frame.path("token").asString("")).orElse(null);
        if (found == null) {
            session.close(UNAUTHORIZED, "invalid token");
            return;
        }
        sessionId = found.session();
        // Listen for revocations, then look again: a revocation that committed between the lookup above and this
        // subscription was published before anyone here listened, and is caught by the second lookup instead.
        accessChanges = broker.subscribe(AccessChange.topic(found.user().id()), (topic, payload) ->
                onAccessChange(session, AccessChange.read(payload)));
        if (accounts.sessionFor(frame.path("token").asString("")).isEmpty()) {
            session.close(UNAUTHORIZED, "signed out");
            return;
        }
        // The user's own frames (mentions, conversations opened with them), in the order the broker brings them.
        inbox = broker.subscribe(Inbox.topic(found.user().id()), (topic, payload) ->
                serial.execute(() -> session.send(new String(payload, java.nio.charset.StandardCharsets.UTF_8))));
        user = found.user();
        userId = found.user().id();
        open.add(this);
        reply(session, Map.of("type", "ready", "user", found.user()));
    }

    /**
     * Broker thread. A revoked session closes the socket at once (not behind a catch-up queued on the serial
     * executor, which would go on streaming history); a lost room ends its feed in serial order, with an error frame.
     */
    private void onAccessChange(WsSession session, AccessChange change) {
        switch (change.kind()) {
            case SESSIONS_REVOKED -> {
                if (change.sessions().contains(sessionId)) {
                    session.close(UNAUTHORIZED, change.reason());
                }
            }
            case ROOM_LOST -> {
                if (change.room() != null) {
                    serial.execute(() -> roomLost(session, change.room(), change.reason()));
                }
            }
        }
    }

    /** Serial executor: ends the feed of a room this user may no longer read, and says so. */
    private void roomLost(WsSession session, long room, String reason) {
        if (endFeed(room)) {
            reply(session, Map.of("type", "error", "code", "room_lost", "room", room, "message", reason));
        }
    }

    /** Serial executor. */
    private boolean endFeed(long room) {
        RoomFeed feed = feeds.remove(room);
        privateFeeds.remove(room);
        if (feed == null) {
            return false;
        }
        feed.stop();
        return true;
    }

    /**
     * The backstop of room losses told on the broker (at most once): the private rooms this socket has feeds of,
     * checked in one query; a feed of a room the user is no longer a member of ends. Called by the sweep.
     */
    void checkPrivateFeeds() throws SQLException {
        User current = user;
        WsSession session = socket;
        if (current == null || session == null || privateFeeds.isEmpty()) {
            return;
        }
        var rooms = java.util.List.copyOf(privateFeeds);
        var still = this.rooms.memberships(current, rooms);
        for (long room : rooms) {
            if (!still.contains(room)) {
                serial.execute(() -> roomLost(session, room, "you are no longer a member of the room"));
            }
        }
    }

    /**
     * On the serial executor, as access changes are: a room lost after the access check below is told after this
     * task, and finds the feed to end; one lost before it fails the check.
     */
    private void subscribe(WsSession session, JsonNode frame) {
        long roomId = frame.path("room").asLong();
        long after = Math.max(0, frame.path("after").asLong(0));
        serial.execute(() -> {
            try {
                Room room = rooms.readable(user, roomId);
                if (after > room.lastSeq()) {
                    reply(session, Map.of("type", "error", "code", "after_beyond_end", "room", roomId,
                            "lastSeq", room.lastSeq(), "message", "the room's last seq is " + room.lastSeq()
                                    + ": subscribe with an after no greater"));
                    return;
                }
                var feed = new RoomFeed(roomId, session, messages, presence, serial);
                RoomFeed previous = feeds.put(roomId, feed);
                if (previous != null) {
                    previous.stop();
                }
                if (room.isPrivate()) {
                    privateFeeds.add(roomId);
                }
                feed.start(broker, user.username(), after, room.lastSeq());
            } catch (HttpError e) {
                reply(session, Map.of("type", "error", "code", "http_" + e.status(), "room", roomId,
                        "message", e.getMessage()));
            } catch (SQLException e) {
                error(session, "unavailable", "database unavailable, try again shortly");
            }
        });
    }

    private void send(WsSession session, JsonNode frame) throws SQLException {
        long roomId = frame.path("room").asLong();
        String clientId = frame.hasNonNull("clientId") ? frame.get("clientId").asString() : null;
        ChatEvent event;
        try {
            Long replyTo = frame.hasNonNull("replyTo") ? frame.get("replyTo").asLong() : null;
            var files = new java.util.ArrayList<String>();
            frame.path("attachments").forEach(id -> files.add(id.asString("")));
            event = messages.send(user, roomId, new Messages.NewMessage(frame.path("text").asString(null), clientId,
                    replyTo, files));
        } catch (HttpError e) {
            var refusal = sendError(e.status() == 429 ? "rate_limited" : "http_" + e.status(), e.getMessage(),
                    roomId, clientId);
            if (e.status() == 429) {
                refusal.put("retryAfter", retryAfter(e));
            }
            reply(session, refusal);
            return;
        } catch (InvalidInput e) {
            reply(session, sendError("invalid", e.getMessage(), roomId, clientId));
            return;
        } catch (SQLException e) {
            reply(session, sendError("unavailable", "database unavailable, try again shortly", roomId, clientId));
            return;
        }
        var ack = new java.util.HashMap<String, Object>(Map.of("type", "ack", "room", roomId, "seq", event.seq()));
        if (clientId != null) {
            ack.put("clientId", clientId);
        }
        reply(session, ack);
    }

    /**
     * Relays "typing" at most once a second per room: the rest are dropped before the access check, so a client
     * repeating the frame costs neither a database read nor a message to every worker each time.
     */
    private void typing(JsonNode frame) throws SQLException {
        long roomId = frame.path("room").asLong();
        long now = System.nanoTime();
        Long last = lastTyping.get(roomId);
        if (last != null && now - last < TYPING_INTERVAL_NANOS || lastTyping.size() > MAX_TYPING_ROOMS) {
            return;
        }
        lastTyping.put(roomId, now);
        if (rooms.writable(user, roomId).archived()) {
            return;  // nobody writes there
        }
        broker.publish(Messages.topic(roomId), JSON.writeValueAsBytes(
                Map.of("type", "typing", "room", roomId, "user", user.username())));
    }

    /** A refused {@code send}: its room and clientId say which message of the client's queue it was. */
    private static java.util.Map<String, Object> sendError(String code, String message, long room, String clientId) {
        var refusal = new java.util.HashMap<String, Object>(Map.of("type", "error", "code", code, "room", room,
                "message", message));
        if (clientId != null) {
            refusal.put("clientId", clientId);
        }
        return refusal;
    }

    private static long retryAfter(HttpError e) {
        return e.headers().stream().filter(h -> h.getKey().equals("Retry-After"))
                .mapToLong(h -> Long.parseLong(h.getValue())).findFirst().orElse(1);
    }

    private static void error(WsSession session, String code, String message) {
        reply(session, Map.of("type", "error", "code", code, "message", message));
    }

    private static void reply(WsSession session, Object message) {
        session.send(JSON.writeValueAsString(message));
    }

    @Override
    public void onClose(WsSession session, int code, String reason) {
        open.remove(this);
        for (Broker.Subscription subscription : new Broker.Subscription[] {accessChanges, inbox}) {
            if (subscription != null) {
                subscription.unsubscribe();
            }
        }
        serial.execute(() -> feeds.values().forEach(RoomFeed::stop));
        serial.shutdown();
    }
}
