package io.corral.chat.web;

import io.corral.app.Broker;
import io.corral.app.Presence;
import io.corral.app.Routes;
import io.corral.chat.account.Accounts;
import io.corral.chat.message.Messages;
import io.corral.chat.room.Rooms;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The {@code /ws} endpoint: one {@link ChatSocket} per connection, sharing one timer for auth deadlines. */
public final class ChatSockets {
    private final Accounts accounts;
    private final Rooms rooms;
    private final Messages messages;
    private final Broker broker;
    private final Presence presence;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("chat-timers").factory());

    public ChatSockets(Accounts accounts, Rooms rooms, Messages messages, Broker broker, Presence presence) {
        this.accounts = accounts;
        this.rooms = rooms;
        this.messages = messages;
        this.broker = broker;
        this.presence = presence;
    }

    public void declare(Routes routes) {
        routes.ws("/ws", request -> new ChatSocket(accounts, rooms, messages, broker, presence, timers));
    }
}
