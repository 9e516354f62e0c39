package io.corral.app;

import java.util.Map;

/**
 * Who is online in a topic (a chat room, say), across every worker and host of the service, built on the
 * {@link Broker}. A session that closes leaves by itself; the sessions of a worker that dies are dropped when its
 * master reports the death, or after 30 s without news from it (a host that went away).
 */
public interface Presence {

    /** Marks {@code userId} online in {@code topic} through {@code session}, until it leaves or the session ends. */
    void join(String topic, String userId, WsSession session);

    /** Ends {@code session}'s presence in {@code topic}. */
    void leave(String topic, WsSession session);

    /** The users online in {@code topic} and how many connections each has there, as this worker knows now. */
    Map<String, Integer> online(String topic);

    /** Calls {@code listener} with the new state whenever a topic's set of users changes (keep it quick). */
    Broker.Subscription watch(String topic, Listener listener);

    @FunctionalInterface
    interface Listener {
        void onChange(String topic, Map<String, Integer> online);
    }
}
