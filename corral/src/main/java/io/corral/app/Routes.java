package io.corral.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The route table an {@link App} fills in {@link App#configure}. Paths are literal segments and
 * {@code {name}} parameters ({@code /api/rooms/{id}/messages}); a parameter matches exactly one segment.
 * A {@code GET} route answers {@code HEAD} as well. An unknown path gets 404, a known path with another
 * method 405 with an {@code Allow} header.
 */
public interface Routes {

    Routes get(String path, Handler handler);

    Routes post(String path, Handler handler);

    Routes put(String path, Handler handler);

    Routes patch(String path, Handler handler);

    Routes delete(String path, Handler handler);

    /**
     * Serves the files under {@code directory} at {@code urlPrefix} (GET and HEAD), with content types,
     * {@code ETag} and {@code Last-Modified}, answering conditional requests with 304. A directory
     * serves its {@code index.html}. Nothing outside {@code directory} is ever served.
     */
    Routes staticFiles(String urlPrefix, Path directory);

    /**
     * A WebSocket endpoint at {@code path} (with {@code {name}} parameters like any route). {@code handler} decides
     * on each upgrade; browsers from other sites are refused by {@code --ws-allowed-origins} before it runs.
     */
    Routes ws(String path, WsHandler handler);

    /**
     * As {@link #ws(String, WsHandler)}, offering {@code subprotocols}: the first one the client lists that is
     * among them is agreed ({@link WsSession#subprotocol()}).
     */
    Routes ws(String path, List<String> subprotocols, WsHandler handler);

    /**
     * A {@code GET} of {@code path} (with its query, if any) the worker sends itself before it reports ready, through
     * its own pipeline on a loopback listener of its own, {@code --worker-warm-up} times: the hot paths have run, and
     * the JIT has seen them, before the first client does, and the master's AOT cache records them. It must change
     * nothing (a health check, a page, a request that is refused unauthenticated); it is not access-logged and not
     * counted towards {@code --max-requests}.
     */
    Routes warmUp(String path);

    /** The service's broker, for handlers to publish to and subscribe from. */
    Broker broker();

    /** Who is online where, across the service. */
    Presence presence();

    /** As {@link #staticFiles}, for resources under {@code classpathRoot} (e.g. {@code "public"}) in the app's jar. */
    Routes classpathFiles(String urlPrefix, String classpathRoot);

    /**
     * As {@link #classpathFiles(String, String)}, with {@code headers} on every answer: a web client's
     * {@code Content-Security-Policy}, {@code X-Content-Type-Options}, {@code Referrer-Policy}.
     */
    Routes classpathFiles(String urlPrefix, String classpathRoot, Map<String, String> headers);
}
