package io.corral.chat.room;

/**
 * A room as the API shows it: {@code role} is the caller's ("owner", "admin", "member", or null when not a member),
 * {@code unread} the messages by others after the caller's read marker (0 for non-members).
 */
public record Room(long id, String name, boolean isPrivate, long lastSeq, String role, long unread) {
}
