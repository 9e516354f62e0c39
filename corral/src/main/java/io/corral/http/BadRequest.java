package io.corral.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Everything about a request that makes us refuse it before any app code runs. Each kind maps to one status in
 * {@link #status}, checked by the compiler for exhaustiveness. The client sees {@link #reason()}, a fixed text that
 * never echoes its input; the log gets {@code detail}.
 */
sealed interface BadRequest {

    /** The request could not be parsed: bad syntax, obs-fold, CL with TE, bare CR, invalid names or values. */
    record Malformed(String detail) implements BadRequest {
    }

    /** The request target is not origin-, absolute- or asterisk-form, or holds control or non-ASCII bytes. */
    record InvalidTarget(String detail) implements BadRequest {
    }

    /** HTTP/1.1 needs exactly one Host header, and a Host header must name a host (RFC 9112 §3.2). */
    record InvalidHost(String detail) implements BadRequest {
    }

    /** Longer than {@code --limit-request-line}. */
    record RequestLineTooLong(String detail) implements BadRequest {
    }

    /** More fields than {@code --limit-request-fields}, or one longer than {@code --limit-request-field-size}. */
    record HeaderFieldsTooLarge(String detail) implements BadRequest {
    }

    /** A body longer than {@code --limit-request-body}. */
    record BodyTooLarge(String detail) implements BadRequest {
    }

    /** A transfer coding other than chunked: we cannot decode it (RFC 9112 §6.1). */
    record UnsupportedTransferCoding(String detail) implements BadRequest {
    }

    /** An HTTP version other than 1.0 and 1.1. */
    record UnsupportedVersion(String detail) implements BadRequest {
    }

    /** The connection was accepted beyond {@code --worker-connections}. */
    record OverCapacity(String detail) implements BadRequest {
    }

    String detail();

    static HttpResponseStatus status(BadRequest problem) {
        return switch (problem) {
            case Malformed m -> HttpResponseStatus.BAD_REQUEST;
            case InvalidTarget t -> HttpResponseStatus.BAD_REQUEST;
            case InvalidHost h -> HttpResponseStatus.BAD_REQUEST;
            case RequestLineTooLong l -> HttpResponseStatus.REQUEST_URI_TOO_LONG;
            case HeaderFieldsTooLarge f -> HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            case BodyTooLarge b -> HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            case UnsupportedTransferCoding c -> HttpResponseStatus.NOT_IMPLEMENTED;
            case UnsupportedVersion v -> HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED;
            case OverCapacity o -> HttpResponseStatus.SERVICE_UNAVAILABLE;
        };
    }

    /** What the client is told: short, fixed, safe to show. */
    default String reason() {
        return switch (this) {
            case Malformed m -> "malformed request";
            case InvalidTarget t -> "invalid request target";
            case InvalidHost h -> "a request needs exactly one valid Host header";
            case RequestLineTooLong l -> "request line too long";
            case HeaderFieldsTooLarge f -> "request header fields too large";
            case BodyTooLarge b -> "request body too large";
            case UnsupportedTransferCoding c -> "unsupported transfer coding";
            case UnsupportedVersion v -> "HTTP version not supported";
            case OverCapacity o -> "server at its connection limit, retry shortly";
        };
    }
}
