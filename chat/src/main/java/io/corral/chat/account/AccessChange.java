package io.corral.chat.account;

import io.corral.app.Broker;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * A change of what a user may do, told to every worker and host on the broker topic {@code user:ID}, where each of
 * that user's open sockets listens: sessions revoked (logout, "log out everywhere", a password change, the account
 * removed) close with 4401; a room lost (left, removed) ends that room's feed. The database
 * already holds the change when this is published; a socket that misses it (Redis away) learns it from the sweep
 * of {@code ChatSockets} instead, later.
 *
 * @param sessions the revoked sessions' ids, for {@link Kind#SESSIONS_REVOKED}
 * @param room     the room, for {@link Kind#ROOM_LOST}
 * @param reason   why, for the client
 */
public record AccessChange(Kind kind, List<String> sessions, Long room, String reason) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public enum Kind { SESSIONS_REVOKED, ROOM_LOST }

    public AccessChange {
        sessions = sessions == null ? List.of() : List.copyOf(sessions);
    }

    public static String topic(long userId) {
        return "user:" + userId;
    }

    public static void sessionsRevoked(Broker broker, long userId, List<String> sessions, String reason) {
        if (!sessions.isEmpty()) {
            broker.publish(topic(userId), JSON.writeValueAsBytes(
                    new AccessChange(Kind.SESSIONS_REVOKED, sessions, null, reason)));
        }
    }

    public static void roomLost(Broker broker, long userId, long room, String reason) {
        broker.publish(topic(userId), JSON.writeValueAsBytes(new AccessChange(Kind.ROOM_LOST, null, room, reason)));
    }

    public static AccessChange read(byte[] payload) {
        return JSON.readValue(payload, AccessChange.class);
    }
}
