package io.corral.chat.room;

import java.util.List;

/**
 * A room as the API shows it: {@code kind} "room" or "direct" (a direct conversation: private, its members fixed,
 * {@code members} their names); {@code role} is the caller's ("owner", "admin", "member", or null when not a
 * member); {@code unread} the messages by others after the caller's read marker and {@code mentions} those of them
 * that name the caller (0 for non-members); {@code archived}: readable, no longer writable.
 */
public record Room(long id, String name, boolean isPrivate, String kind, boolean archived, long lastSeq, String role,
                   long unread, long mentions, List<String> members) {
    public static final String ROOM = "room";
    public static final String DIRECT = "direct";

    Room withMembers(List<String> names) {
        return new Room(id, name, isPrivate, kind, archived, lastSeq, role, unread, mentions, names);
    }
}
