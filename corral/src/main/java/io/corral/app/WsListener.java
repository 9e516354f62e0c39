package io.corral.app;

/**
 * One WebSocket session's callbacks. They run on a virtual thread, one at a time and in the order the frames came
 * (blocking calls are fine; while a callback runs, further messages wait, up to {@code --ws-max-queue}, then the
 * socket stops being read). An exception from {@link #onOpen}, {@link #onText} or {@link #onBinary} is logged and
 * closes the session with 1011.
 */
public interface WsListener {

    /** The handshake is done; the session can send. */
    default void onOpen(WsSession session) throws Exception {
    }

    /** A whole text message (fragments are joined, permessage-deflate undone, UTF-8 checked). */
    default void onText(WsSession session, String text) throws Exception {
    }

    /** A whole binary message. */
    default void onBinary(WsSession session, byte[] data) throws Exception {
    }

    /**
     * The session is over, whichever side ended it: {@code code} is the close code received or sent (1006 when
     * the connection dropped without a close frame). Called exactly once per session that was opened.
     */
    default void onClose(WsSession session, int code, String reason) {
    }
}
