package io.corral.ws;

import io.corral.config.AllowedOrigins;
import io.corral.config.Config;
import io.corral.config.WebSocketSettings;

/** The WebSocket settings, read once per worker. */
public record WsConfig(int maxSize, int maxQueue, int sendBuffer, long pingIntervalNanos, long pingTimeoutNanos,
                       boolean deflate, AllowedOrigins origins) {

    public static WsConfig from(Config config) {
        return new WsConfig(config.get(WebSocketSettings.WS_MAX_SIZE), config.get(WebSocketSettings.WS_MAX_QUEUE),
                config.get(WebSocketSettings.WS_SEND_BUFFER),
                (long) (config.get(WebSocketSettings.WS_PING_INTERVAL) * 1e9),
                (long) (config.get(WebSocketSettings.WS_PING_TIMEOUT) * 1e9),
                config.get(WebSocketSettings.WS_PER_MESSAGE_DEFLATE),
                config.get(WebSocketSettings.WS_ALLOWED_ORIGINS));
    }
}
