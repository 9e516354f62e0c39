package io.corral.chat.message;

import io.corral.chat.attachment.Attachments;
import java.util.List;
import java.util.Map;

/**
 * One entry of a room's log. {@code seq} is the room's sequence number: 1, 2, 3... with no gap, in commit order.
 * Kinds: a {@link #MESSAGE}; an {@link #EDIT} or {@link #DELETE} of message {@code target}; a {@link #REACT} or
 * {@link #UNREACT} ({@code text} the emoji) on message {@code target}; a change of the room itself ({@link #RENAMED},
 * {@code text} the new name; {@link #ARCHIVED}, {@link #UNARCHIVED}).
 *
 * <p>Texts are kept only while they are current: a message shows its latest text ({@code editedAt} set when an
 * edit replaced it) or, deleted, none ({@code deletedAt} set, {@code text} null); an edit event keeps the text it
 * brought until a later edit or the deletion replaces it, then its {@code text} is null too.
 *
 * @param replyTo   for a message answering an earlier one, that message's seq
 * @param quote     with {@code replyTo}: the answered message as it is now (as it was, in a live event)
 * @param reactions   on a message, its reaction counts by emoji now; on a reaction event, the counts it left
 * @param attachments on a message, the files it carries (none once deleted)
 */
public record ChatEvent(long room, long seq, String kind, Long target, long userId, String username, String text,
                        String clientId, long at, Long editedAt, Long deletedAt, Long replyTo, Quote quote,
                        Map<String, Integer> reactions, List<Attachments.Info> attachments) {
    public static final String MESSAGE = "message";
    public static final String EDIT = "edit";
    public static final String DELETE = "delete";
    public static final String REACT = "react";
    public static final String UNREACT = "unreact";
    public static final String RENAMED = "renamed";
    public static final String ARCHIVED = "archived";
    public static final String UNARCHIVED = "unarchived";

    /** This event with {@code files} as its attachments. */
    public ChatEvent withAttachments(List<Attachments.Info> files) {
        return new ChatEvent(room, seq, kind, target, userId, username, text, clientId, at, editedAt, deletedAt,
                replyTo, quote, reactions, files);
    }

    /** The message a reply answers: its text now, or none and {@code deleted} once its author deleted it. */
    public record Quote(long seq, long userId, String username, String text, boolean deleted) {
    }
}
