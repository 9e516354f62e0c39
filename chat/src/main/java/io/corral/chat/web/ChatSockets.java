package io.corral.chat.web;

import io.corral.app.Broker;
import io.corral.app.Presence;
import io.corral.app.Routes;
import io.corral.chat.account.Accounts;
import io.corral.chat.message.Messages;
import io.corral.chat.room.Rooms;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code /ws} endpoint: one {@link ChatSocket} per connection, sharing one timer for auth deadlines. */
public final class ChatSockets {
    private final Accounts accounts;
    private final Rooms rooms;
    private final Messages messages;
    private final Broker broker;
    private final Presence presence;
    private static final Logger log = LoggerFactory.getLogger(ChatSockets.class);
    private final Duration checkInterval;
    private final Set<ChatSocket> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("chat-timers").factory());

    public ChatSockets(Accounts accounts, Rooms rooms, Messages messages, Broker broker, Presence presence,
                       Duration checkInterval) {
        this.checkInterval = checkInterval;
        this.accounts = accounts;
        this.rooms = rooms;
        this.messages = messages;
        this.broker = broker;
        this.presence = presence;
    }

    public void declare(Routes routes) {
        routes.ws("/ws", request -> new ChatSocket(accounts, rooms, messages, broker, presence, timers, open));
        long every = checkInterval.toMillis();
        timers.scheduleWithFixedDelay(() -> Thread.startVirtualThread(this::sweep), every, every,
                TimeUnit.MILLISECONDS);
    }

    /** The app is stopping: no more sweeps or auth deadlines. */
    public void stop() {
        timers.shutdownNow();
    }

    /**
     * The backstop of the broker's revocations, which are at most once (Redis away, a message lost): every
     * {@code CHAT_SESSION_CHECK_INTERVAL} (30 s), the sessions of this worker's open sockets are checked in one
     * query, and sockets whose session has ended close with 4401; the private rooms each live socket has feeds of
     * are checked too. The check counts as use, so an open socket keeps its session alive.
     */
    private void sweep() {
        var byId = new java.util.HashMap<String, java.util.List<ChatSocket>>();
        for (ChatSocket socket : open) {
            String id = socket.sessionId();
            if (id != null) {
                byId.computeIfAbsent(id, k -> new java.util.ArrayList<>()).add(socket);
            }
        }
        if (byId.isEmpty()) {
            return;
        }
        try {
            var users = new java.util.HashMap<String, Long>();
            byId.forEach((id, sockets) -> users.put(id, sockets.getFirst().userId()));
            Set<String> live = accounts.sessions().live(users);
            for (var entry : byId.entrySet()) {
                for (ChatSocket socket : entry.getValue()) {
                    if (live.contains(entry.getKey())) {
                        socket.checkPrivateFeeds();
                    } else {
                        socket.sessionEnded("session ended");
                    }
                }
            }
        } catch (SQLException | java.util.concurrent.RejectedExecutionException e) {
            // Rejected: the app stopped (its database closed) while this sweep was starting.
            log.debug("Session sweep skipped, database unavailable: {}", e.getMessage());
        }
    }
}
