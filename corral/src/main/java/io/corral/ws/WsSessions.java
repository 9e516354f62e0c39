package io.corral.ws;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open WebSocket sessions of one worker, for draining (every one is told why it closes: 1012 when the worker is
 * replaced, 1001 when the service stops) and for ids that are unique across the service: the process id, which no
 * other live worker on the host shares, plus a counter. Thread-safe.
 */
public final class WsSessions {
    private final Set<WsConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong counter = new AtomicLong();
    private final String prefix;
    /** Set once the worker drains: a handshake that completes after that closes at once, with the same code. */
    private volatile int closingCode;
    private volatile String closingReason;

    public WsSessions(String instance) {
        this.prefix = instance + "-";
    }

    String nextId() {
        return prefix + counter.incrementAndGet();
    }

    void add(WsConnection connection) {
        open.add(connection);
        // An upgrade the app accepted just before the drain began completes just after it: without this, the
        // session would hold the draining worker open until --graceful-timeout.
        if (closingCode != 0) {
            connection.close(closingCode, closingReason);
        }
    }

    void remove(WsConnection connection) {
        open.remove(connection);
    }

    /** Starts the closing handshake on every open session and on any opened later; returns how many were open. */
    public int closeAll(int code, String reason) {
        closingReason = reason;
        closingCode = code;
        List<WsConnection> all = List.copyOf(open);
        all.forEach(c -> c.close(code, reason));
        return all.size();
    }
}
