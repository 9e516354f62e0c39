package io.corral.http;

import io.corral.app.HttpError;
import io.corral.app.Request;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The app's view of one request, built on the event loop (the body copied out of Netty's buffer, which is then
 * released) and read on the handler's virtual thread. Immutable, apart from the lazily decoded query.
 */
final class ExchangeRequest implements Request {
    private final String method;
    private final String target;
    private final RoutePath path;
    private final Map<String, String> params;
    private final HttpHeaders headers;
    private final String clientAddress;
    private final byte[] body;
    private final StreamedBody stream;
    private Map<String, List<String>> query;

    ExchangeRequest(String method, String target, RoutePath path, Map<String, String> params, HttpHeaders headers,
                    String clientAddress, byte[] body) {
        this(method, target, path, params, headers, clientAddress, body, null);
    }

    /** A request of a streamed route: {@code stream} is its body, still arriving. */
    ExchangeRequest(String method, String target, RoutePath path, Map<String, String> params, HttpHeaders headers,
                    String clientAddress, byte[] body, StreamedBody stream) {
        this.method = method;
        this.target = target;
        this.path = path;
        this.params = params;
        this.headers = headers;
        this.clientAddress = clientAddress;
        this.body = body;
        this.stream = stream;
    }

    /** The body still arriving, for a streamed route; null otherwise. */
    StreamedBody stream() {
        return stream;
    }

    @Override
    public java.io.InputStream bodyStream() {
        return stream != null ? stream : new java.io.ByteArrayInputStream(body);
    }

    private byte[] aggregated() {
        if (stream != null) {
            throw new IllegalStateException("a streamed route's body: read it from bodyStream()");
        }
        return body;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path.decoded();
    }

    @Override
    public String pathParam(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the matched route has no parameter {" + name + "}");
        }
        return value;
    }

    @Override
    public Optional<String> queryParam(String name) {
        List<String> values = query().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    @Override
    public List<String> queryParams(String name) {
        return query().getOrDefault(name, List.of());
    }

    private Map<String, List<String>> query() {
        if (query == null) {
            query = new QueryStringDecoder(target).parameters();
        }
        return query;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    @Override
    public List<String> headers(String name) {
        return headers.getAll(name);
    }

    @Override
    public String clientAddress() {
        return clientAddress;
    }

    @Override
    public byte[] body() {
        return aggregated().clone();
    }

    @Override
    public String bodyText() {
        return new String(aggregated(), StandardCharsets.UTF_8);
    }

    @Override
    public <T> T bodyAs(Class<T> type) {
        byte[] body = aggregated();
        if (body.length > 0 && !JsonContentType.accepts(headers.get("Content-Type"))) {
            throw new HttpError(415, "send the body as JSON, with Content-Type: application/json")
                    .header("Accept", "application/json");
        }
        return Json.read(body, type);
    }
}
