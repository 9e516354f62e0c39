package io.corral.chat.limit;

import java.util.Map;

/**
 * Corral Chat's limits, from the environment (docs/chat-protocol.md, "Security"). They are counted in the database,
 * so they hold across every worker and host that shares it.
 *
 * @param loginPerAddress        failed logins from one address (an IPv6 /64)
 * @param loginPerAccountAddress failed logins for one account from one address: an attacker's failures never
 *                               lock the owner out of another address
 * @param registrations          accounts created from one address
 * @param posts                  messages, edits, deletions and reactions by one user, in all rooms
 * @param rooms                  rooms created by one user
 * @param direct                 direct conversations started by one user (opening one again is free)
 * @param uploads                files uploaded by one user (attachments and avatars)
 */
public record ChatLimits(Limit loginPerAddress, Limit loginPerAccountAddress, Limit registrations, Limit posts,
                         Limit rooms, Limit direct, Limit uploads) {

    public static final String LOGIN_PER_ADDRESS = "CHAT_LIMIT_LOGIN_PER_ADDRESS";
    public static final String LOGIN_PER_ACCOUNT = "CHAT_LIMIT_LOGIN_PER_ACCOUNT";
    public static final String REGISTRATIONS = "CHAT_LIMIT_REGISTRATIONS";
    public static final String POSTS = "CHAT_LIMIT_POSTS";
    public static final String ROOMS = "CHAT_LIMIT_ROOMS";
    public static final String DIRECT = "CHAT_LIMIT_DIRECT";
    public static final String UPLOADS = "CHAT_LIMIT_UPLOADS";

    public static ChatLimits fromEnvironment(Map<String, String> env) {
        return new ChatLimits(read(env, LOGIN_PER_ADDRESS, "20/1m"), read(env, LOGIN_PER_ACCOUNT, "5/1m"),
                read(env, REGISTRATIONS, "20/1h"), read(env, POSTS, "30/10s"), read(env, ROOMS, "10/1h"),
                read(env, DIRECT, "30/1h"), read(env, UPLOADS, "60/1h"));
    }

    private static Limit read(Map<String, String> env, String name, String fallback) {
        String value = env.getOrDefault(name, fallback);
        try {
            return Limit.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + "=" + value + ": " + e.getMessage(), e);
        }
    }
}
