package io.corral.http;

import io.corral.app.WsHandler;
import java.util.List;

/** A WebSocket route: its path pattern (a GET {@link Route} without a handler), offered subprotocols, handler. */
record WsEndpoint(Route pattern, List<String> subprotocols, WsHandler handler) {

    WsEndpoint {
        subprotocols = List.copyOf(subprotocols);
    }
}
