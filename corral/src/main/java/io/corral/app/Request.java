package io.corral.app;

import java.util.List;
import java.util.Optional;

/**
 * One HTTP request as a handler sees it. The body has been read in full (up to {@code --limit-request-body})
 * before the handler runs, except on a {@link Handler#streamed} route, where {@link #bodyStream()} gives it as it
 * arrives. Header names are case-insensitive.
 */
public interface Request {

    /** The method in upper case; {@code HEAD} requests reach {@code GET} handlers and report {@code HEAD} here. */
    String method();

    /** The decoded path, without the query string. */
    String path();

    /** The value of a {@code {name}} segment of the matched route; a name the route lacks is a programming error. */
    String pathParam(String name);

    /** The first value of a query parameter, decoded. */
    Optional<String> queryParam(String name);

    /** Every value of a query parameter, in order. */
    List<String> queryParams(String name);

    /** The first value of a header. */
    Optional<String> header(String name);

    /** Every value of a header, in order. */
    List<String> headers(String name);

    /**
     * The client's address: the peer's, or the one named by {@code X-Forwarded-For} when the peer is in
     * {@code --forwarded-allow-ips}.
     */
    String clientAddress();

    /**
     * The body as a stream: as it arrives, on a {@link Handler#streamed} route (a read blocks until the client has
     * sent more, and throws {@link java.io.IOException} if the connection closes first); else the body read already.
     */
    java.io.InputStream bodyStream();

    /** The raw body; empty when there is none. Not on a {@link Handler#streamed} route (IllegalStateException). */
    byte[] body();

    /** The body decoded as UTF-8. */
    String bodyText();

    /**
     * The body read as JSON into {@code type} (a record, typically). A body not declared {@code application/json}
     * ({@code text/plain}, a form: what a foreign page may send without a CORS preflight) is answered 415; malformed
     * JSON 400; a body whose
     * fields do not fit {@code type}, or whose record constructor throws {@link InvalidInput}, is answered 422.
     */
    <T> T bodyAs(Class<T> type);
}
