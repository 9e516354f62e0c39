package io.corral.chat.message;

/**
 * One entry of a room's log: a message, or an edit or deletion of message {@code target} (null for a message).
 * {@code seq} is the room's sequence number: 1, 2, 3... with no gap, in commit order.
 *
 * <p>Texts are kept only while they are current: a message shows its latest text ({@code editedAt} set when an
 * edit replaced it) or, deleted, none ({@code deletedAt} set, {@code text} null); an edit event keeps the text it
 * brought until a later edit or the deletion replaces it, then its {@code text} is null too.
 */
public record ChatEvent(long room, long seq, String kind, Long target, long userId, String username, String text,
                        String clientId, long at, Long editedAt, Long deletedAt) {
    public static final String MESSAGE = "message";
    public static final String EDIT = "edit";
    public static final String DELETE = "delete";
}
