package io.corral.config;

import java.util.List;

/** WebSocket limits and keepalive, with Uvicorn's names and meanings (Corral's defaults where they differ). */
public final class WebSocketSettings {
    private WebSocketSettings() {
    }

    public static final Setting<Integer> WS_MAX_SIZE = Setting.of("ws-max-size", Section.WEBSOCKET, "BYTES",
            Parsers.intBetween(125, Integer.MAX_VALUE - 8), "1048576",
            "Largest incoming message, after reassembly and decompression; a larger one closes with 1009. "
                    + "(Uvicorn: 16 MiB.)");

    public static final Setting<Integer> WS_MAX_QUEUE = Setting.of("ws-max-queue", Section.WEBSOCKET, "INT",
            Parsers.intBetween(1, 1_000_000), "32",
            "Incoming messages waiting for the app per connection; beyond it the socket is not read (back-pressure).");

    public static final Setting<Integer> WS_SEND_BUFFER = Setting.of("ws-send-buffer", Section.WEBSOCKET, "BYTES",
            Parsers.intBetween(1024, Integer.MAX_VALUE), "1048576",
            "Outgoing bytes queued for a client that does not read; beyond it the connection is closed with 1008.");

    public static final Setting<Double> WS_PING_INTERVAL = Setting.of("ws-ping-interval", Section.WEBSOCKET,
            "SECONDS", Parsers.secondsAtLeast(0), "20",
            "Seconds between keepalive pings to each client (0: no pings).");

    public static final Setting<Double> WS_PING_TIMEOUT = Setting.of("ws-ping-timeout", Section.WEBSOCKET,
            "SECONDS", Parsers.secondsAtLeast(0.1), "20",
            "Seconds to wait for the pong; a client that does not answer is closed with 1011.");

    public static final Setting<Boolean> WS_PER_MESSAGE_DEFLATE = Setting.of("ws-per-message-deflate",
            Section.WEBSOCKET, "BOOL", Parsers.bool(), "true",
            "Accept the permessage-deflate extension (RFC 7692) when a client offers it.");

    public static final Setting<AllowedOrigins> WS_ALLOWED_ORIGINS = Setting.of("ws-allowed-origins",
            Section.WEBSOCKET, "ORIGINS", AllowedOrigins::parse, "",
            "Comma-separated origins (https://chat.example.com) whose pages may open WebSockets; empty: the "
                    + "request's own origin only (scheme, host and port); '*': any. Requests without Origin "
                    + "(non-browsers) pass.");

    static final List<Setting<?>> ALL = List.of(WS_MAX_SIZE, WS_MAX_QUEUE, WS_SEND_BUFFER, WS_PING_INTERVAL,
            WS_PING_TIMEOUT, WS_PER_MESSAGE_DEFLATE, WS_ALLOWED_ORIGINS);
}
