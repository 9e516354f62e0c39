package io.corral.http;

import io.corral.app.HttpError;
import io.corral.app.InvalidInput;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a handler's exception becomes: the app's own {@link HttpError} and {@link InvalidInput} as they ask, malformed
 * JSON as 400, and anything else as a 500 whose stack trace goes to the error log and never to the client.
 */
final class Failures {
    private static final Logger log = LoggerFactory.getLogger(Failures.class);

    private Failures() {
    }

    static FullHttpResponse response(Throwable failure, String method, String path) {
        try {
            return render(failure, method, path);
        } catch (Throwable secondFailure) {
            // Rendering the error failed too (an app object Jackson cannot write, say): still answer.
            log.error("{} {} failed, and so did rendering its error", method, printable(path), secondFailure);
            return ErrorResponses.plain(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal server error", false);
        }
    }

    private static FullHttpResponse render(Throwable failure, String method, String path) {
        return switch (failure) {
            case HttpError e -> {
                FullHttpResponse response =
                        ErrorResponses.plain(HttpResponseStatus.valueOf(e.status()), e.getMessage(), false);
                e.headers().forEach(h -> response.headers().add(h.getKey(), h.getValue()));
                yield response;
            }
            case InvalidInput e -> ErrorResponses.invalid(e.errors());
            case Json.MalformedJson e -> ErrorResponses.plain(HttpResponseStatus.BAD_REQUEST, e.getMessage(), false);
            default -> {
                log.error("{} {} failed: handler threw", method, printable(path), failure);
                yield ErrorResponses.plain(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal server error", false);
            }
        };
    }

    /** A request's text as a log line may hold it: control characters (a decoded %0A, say) cannot forge lines. */
    static String printable(String text) {
        var out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }
}
