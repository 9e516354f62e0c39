package io.corral.app;

/**
 * Decides on a WebSocket upgrade, before the handshake, on a virtual thread (so it may read a database). Returns
 * the listener of the new session, which may hold what it learned (the authenticated user, say); throwing
 * {@link HttpError} refuses the upgrade with that status (401, 403, 404) and no WebSocket is opened.
 */
@FunctionalInterface
public interface WsHandler {

    WsListener accept(Request upgrade) throws Exception;
}
