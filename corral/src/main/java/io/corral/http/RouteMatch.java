package io.corral.http;

import io.corral.app.Handler;
import java.util.Map;
import java.util.Set;

/** The outcome of looking a request up in the {@link RouteTable}. */
sealed interface RouteMatch {

    record Found(Handler handler, Map<String, String> params) implements RouteMatch {
    }

    /** The path exists for other methods: 405 with {@code Allow}. */
    record MethodNotAllowed(Set<String> allowed) implements RouteMatch {
    }

    record NotFound() implements RouteMatch {
    }
}
