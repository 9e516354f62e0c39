package io.corral.chat;

import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * A room as a client builds it from the log's events in order, the way docs/chat-protocol.md tells clients to:
 * each message's text, deletion, reply and reaction counts. Two clients that saw the same log, live or resumed or
 * from history pages, must end with equal states.
 */
final class RoomState {
    private final Map<Long, String> messages = new TreeMap<>();
    private final Map<Long, String> texts = new TreeMap<>();
    private final Map<Long, String> reactions = new TreeMap<>();
    private long lastSeq;

    /** Applies {@code event}; events must come in sequence order, each once. */
    void apply(JsonNode event) {
        long seq = event.get("seq").asLong();
        if (seq != lastSeq + 1) {
            throw new AssertionError("event " + seq + " after " + lastSeq);
        }
        lastSeq = seq;
        Long target = event.get("target").isNull() ? null : event.get("target").asLong();
        switch (event.get("kind").asString()) {
            case "message" -> {
                messages.put(seq, "reply to " + event.get("replyTo") + " by " + event.get("userId"));
                texts.put(seq, event.get("deletedAt").isNull() ? event.get("text").asString() : null);
                reactions.put(seq, String.valueOf(event.get("reactions")));
            }
            case "edit" -> {
                if (!event.get("text").isNull()) {  // a text a later edit replaced is gone; that edit brings its own
                    texts.put(target, event.get("text").asString());
                }
            }
            case "delete" -> {
                texts.put(target, null);
                reactions.put(target, "null");
            }
            case "react", "unreact" -> reactions.put(target, String.valueOf(event.get("reactions")));
            default -> {
            }
        }
    }

    long lastSeq() {
        return lastSeq;
    }

    @Override
    public String toString() {
        var all = new StringBuilder();
        messages.forEach((seq, what) -> all.append(seq).append(": ").append(what).append(" | ").append(texts.get(seq))
                .append(" | ").append(reactions.get(seq)).append('\n'));
        return all.toString();
    }
}
