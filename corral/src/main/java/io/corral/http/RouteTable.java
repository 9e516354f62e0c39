package io.corral.http;

import io.corral.app.Broker;
import io.corral.app.Handler;
import io.corral.app.Presence;
import io.corral.app.Response;
import io.corral.app.Routes;
import io.corral.app.WsHandler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The routes an app declared, filled on the worker's main thread in {@code App.configure} and read-only once the
 * worker serves. Exact routes are tried in declaration order, then static mounts, longest prefix first.
 */
final class RouteTable implements Routes {
    private final List<Route> routes = new ArrayList<>();
    private final List<Route> mounts = new ArrayList<>();
    private final List<WsEndpoint> sockets = new ArrayList<>();
    private final List<String> warmUps = new ArrayList<>();
    private final Broker broker;
    private final Presence presence;

    RouteTable(Broker broker, Presence presence) {
        this.broker = broker;
        this.presence = presence;
    }

    @Override
    public Routes get(String path, Handler handler) {
        return add("GET", path, handler);
    }

    @Override
    public Routes post(String path, Handler handler) {
        return add("POST", path, handler);
    }

    @Override
    public Routes put(String path, Handler handler) {
        return add("PUT", path, handler);
    }

    @Override
    public Routes patch(String path, Handler handler) {
        return add("PATCH", path, handler);
    }

    @Override
    public Routes delete(String path, Handler handler) {
        return add("DELETE", path, handler);
    }

    @Override
    public Routes warmUp(String path) {
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("a warm-up path starts with / and is plain ASCII: " + path);
        }
        warmUps.add(path);
        return this;
    }

    /** The warm-up requests' paths, in declaration order. */
    List<String> warmUps() {
        return List.copyOf(warmUps);
    }

    @Override
    public Routes staticFiles(String urlPrefix, Path directory) {
        return mount(urlPrefix, StaticFiles.fromDirectory(directory));
    }

    @Override
    public Routes classpathFiles(String urlPrefix, String classpathRoot) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return mount(urlPrefix, StaticFiles.fromClasspath(classpathRoot, loader));
    }

    @Override
    public Routes classpathFiles(String urlPrefix, String classpathRoot, Map<String, String> headers) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Handler files = StaticFiles.fromClasspath(classpathRoot, loader);
        Map<String, String> extra = Map.copyOf(headers);
        return mount(urlPrefix, request -> {
            Object answer = files.handle(request);
            if (answer instanceof Response response) {
                extra.forEach(response::header);
            }
            return answer;
        });
    }

    @Override
    public Routes ws(String path, WsHandler handler) {
        return ws(path, List.of(), handler);
    }

    @Override
    public Routes ws(String path, List<String> subprotocols, WsHandler handler) {
        Route pattern = Route.exact("GET", path, null);
        for (WsEndpoint existing : sockets) {
            if (existing.pattern().literals().equals(pattern.literals())) {
                throw new IllegalArgumentException("WebSocket route " + path + " is declared twice");
            }
        }
        sockets.add(new WsEndpoint(pattern, subprotocols, handler));
        return this;
    }

    @Override
    public Broker broker() {
        return broker;
    }

    @Override
    public Presence presence() {
        return presence;
    }

    /** The WebSocket route for an upgrade to {@code path}, or {@code null} (then the HTTP routes answer). */
    WsMatch matchWs(RoutePath path) {
        for (WsEndpoint endpoint : sockets) {
            Map<String, String> params = endpoint.pattern().match(path);
            if (params != null) {
                return new WsMatch(endpoint, params);
            }
        }
        return null;
    }

    record WsMatch(WsEndpoint endpoint, Map<String, String> params) {
    }

    private Routes add(String method, String path, Handler handler) {
        Route route = Route.exact(method, path, handler);
        for (Route existing : routes) {
            if (existing.method().equals(method) && existing.literals().equals(route.literals())) {
                throw new IllegalArgumentException("route " + method + " " + path + " is declared twice");
            }
        }
        routes.add(route);
        return this;
    }

    private Routes mount(String urlPrefix, Handler files) {
        mounts.add(Route.prefix("GET", urlPrefix, files));
        mounts.sort(Comparator.comparingInt((Route r) -> r.literals().size()).reversed());
        return this;
    }

    RouteMatch match(String method, RoutePath path) {
        // HEAD is answered by the GET route (RFC 9110 §9.3.2), with the body left off.
        String wanted = method.equals("HEAD") ? "GET" : method;
        var allowed = new TreeSet<String>();
        for (List<Route> candidates : List.of(routes, mounts)) {
            for (Route route : candidates) {
                Map<String, String> params = route.match(path);
                if (params == null) {
                    continue;
                }
                if (route.method().equals(wanted)) {
                    return new RouteMatch.Found(route.handler(), params);
                }
                allowed.add(route.method());
                if (route.method().equals("GET")) {
                    allowed.add("HEAD");
                }
            }
            if (!allowed.isEmpty()) {
                return new RouteMatch.MethodNotAllowed(allowed);
            }
        }
        return new RouteMatch.NotFound();
    }
}
