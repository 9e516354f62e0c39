package io.corral.app;

/**
 * One open WebSocket. Thread-safe: any thread may send or close. Sending never blocks: messages queue for the
 * client up to {@code --ws-send-buffer} bytes; a client that lets more pile up is not reading, and is closed with
 * 1008 (the queue stays bounded whatever the app sends).
 */
public interface WsSession {

    /** Unique within the service (across workers and hosts), e.g. for presence. */
    String id();

    /** The upgrade request: path parameters, query, headers, client address. */
    Request upgrade();

    /** The subprotocol agreed in the handshake, or {@code null}. */
    String subprotocol();

    boolean isOpen();

    /** Queues a text message; false when the session is closed (or was just closed for not reading). */
    boolean send(String text);

    /** Queues a binary message; false when the session is closed (or was just closed for not reading). */
    boolean send(byte[] data);

    /** Starts the closing handshake with {@code code} (1000 normal, 4000-4999 for the app's own) and a reason. */
    void close(int code, String reason);
}
