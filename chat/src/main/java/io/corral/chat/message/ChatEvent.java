package io.corral.chat.message;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of a room's log: a message, or an edit or deletion of message {@code target}. {@code seq} is the
 * room's sequence number: 1, 2, 3... with no gap, in commit order.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatEvent(long room, long seq, String kind, Long target, long userId, String username, String text,
                        String clientId, long at) {
    public static final String MESSAGE = "message";
    public static final String EDIT = "edit";
    public static final String DELETE = "delete";
}
