package io.corral.chat.account;

import io.corral.app.Broker;
import tools.jackson.databind.json.JsonMapper;

/**
 * A user's own frames, whatever room they concern: every socket of the user, on every worker, subscribes to the
 * broker topic {@code inbox:ID} and forwards what arrives there as it is (a {@code mention}, a {@code room_added}).
 */
public final class Inbox {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Inbox() {
    }

    public static String topic(long userId) {
        return "inbox:" + userId;
    }

    /** Sends {@code frame} (a map or record, as JSON) to every socket of {@code userId}. */
    public static void send(Broker broker, long userId, Object frame) {
        broker.publish(topic(userId), JSON.writeValueAsBytes(frame));
    }
}
