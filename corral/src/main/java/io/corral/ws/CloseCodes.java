package io.corral.ws;

/** The WebSocket close codes Corral sends (RFC 6455 §7.4.1), and when. */
public final class CloseCodes {
    private CloseCodes() {
    }

    /** The app closed the session, or echoed a client's close without a code. */
    public static final int NORMAL = 1000;
    /** The worker stops for good (TERM, INT): the service is going away. */
    public static final int GOING_AWAY = 1001;
    /**
     * Sent by Netty's decoder (unmasked frame, reserved bits, bad opcode, fragmented or oversized control frame) and
     * for a close frame with a one-byte body or a code that may not be sent ({@link ReceivedClose}).
     */
    public static final int PROTOCOL_ERROR = 1002;
    /** Reported to {@code onClose} when the client's close frame had no code; never sent. */
    public static final int NO_STATUS = 1005;
    /** Reported to {@code onClose} when the connection dropped without a close frame; never sent. */
    public static final int ABNORMAL = 1006;
    /** A text message, or a close frame's reason, that is not UTF-8. */
    public static final int INVALID_PAYLOAD = 1007;
    /** The client does not read: more than {@code --ws-send-buffer} bytes queued for it. */
    public static final int POLICY_VIOLATION = 1008;
    /** A message over {@code --ws-max-size}. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** The app's callback failed, or the client did not answer a ping within {@code --ws-ping-timeout}. */
    public static final int INTERNAL_ERROR = 1011;
    /** The worker is replaced (HUP, --max-requests, TTOU): reconnect, and a new worker will answer. */
    public static final int SERVICE_RESTART = 1012;
    // 1013 (try again later) is not sent: an upgrade that reaches a draining worker is answered 503 with
    // Retry-After before any WebSocket exists.
}
