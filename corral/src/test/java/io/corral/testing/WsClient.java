package io.corral.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's WebSocket client with the messages it receives in a queue and its close code in a future: the client a
 * Java user has, for tests that need many real connections.
 */
public final class WsClient implements WebSocket.Listener, AutoCloseable {
    private static final HttpClient SHARED = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private WsClient() {
    }

    /** Connects to {@code ws://127.0.0.1:PORT/PATH}; throws if the handshake fails. */
    public static WsClient connect(int port, String path) {
        return connect(SHARED, port, path);
    }

    public static WsClient connect(HttpClient http, int port, String path) {
        return connect(http, port, path, List.of());
    }

    /** Connects offering {@code subprotocols}, in order of preference. */
    public static WsClient connect(int port, String path, List<String> subprotocols) {
        return connect(SHARED, port, path, subprotocols);
    }

    private static WsClient connect(HttpClient http, int port, String path, List<String> subprotocols) {
        var client = new WsClient();
        var builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.getFirst(),
                    subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        client.socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + path), client).join();
        return client;
    }

    /** The subprotocol the server agreed to ("" for none). */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    /** Starts the closing handshake with {@code code} and {@code reason}. */
    public void sendClose(int code, String reason) {
        socket.sendClose(code, reason).join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            texts.add(partial.toString());
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed.complete(1006);
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** The next text message, waiting up to 10 s; fails the test if none comes. */
    public String next() throws InterruptedException {
        String text = texts.poll(10, TimeUnit.SECONDS);
        if (text == null) {
            throw new AssertionError("no message within 10 s");
        }
        return text;
    }

    /** The next text message starting with {@code prefix}, skipping others, waiting up to 10 s in all. */
    public String next(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String text = texts.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (text != null && text.startsWith(prefix)) {
                return text;
            }
        }
        throw new AssertionError("no message starting with '" + prefix + "' within 10 s");
    }

    /** Messages received and not yet taken, without waiting. */
    public List<String> drain() {
        var all = new java.util.ArrayList<String>();
        texts.drainTo(all);
        return all;
    }

    /** The close code the server sent (1006 if the connection dropped), waiting up to {@code seconds}. */
    public int awaitClose(int seconds) throws Exception {
        return closed.get(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(1000, "").exceptionally(e -> null);
        }
        socket.abort();
    }
}
