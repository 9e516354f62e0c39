package io.corral.http;

import io.corral.app.Response;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;

/**
 * Turns what a handler returned into Netty messages, on the handler's virtual thread (JSON serialisation included,
 * so the event loop only copies bytes to the socket).
 */
final class Responses {
    private Responses() {
    }

    /** A whole response for any return value but a streamed {@link Response}. */
    static FullHttpResponse full(Object result) {
        if (result == null) {
            return withBody(HttpResponseStatus.NO_CONTENT, null, new byte[0]);
        }
        if (!(result instanceof Response response)) {
            return withBody(HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON.toString(), Json.write(result));
        }
        byte[] body = response.jsonBody() != null ? Json.write(response.jsonBody()) : response.bytesBody();
        FullHttpResponse full = withBody(HttpResponseStatus.valueOf(response.status()), response.contentType(), body);
        addAppHeaders(full, response);
        return full;
    }

    /** The head of a streamed response; the body follows in chunks. */
    static HttpResponse streamedHead(Response response) {
        var head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()));
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, response.contentType())
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        ServerHeaders.stamp(head);
        addAppHeaders(head, response);
        return head;
    }

    private static FullHttpResponse withBody(HttpResponseStatus status, String contentType, byte[] body) {
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        if (contentType != null && body.length > 0) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        // RFC 9110 §8.6: no Content-Length on a 204; on a 304 it would have to be the 200's, so none there either.
        if (status.code() != 204 && status.code() != 304) {
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        ServerHeaders.stamp(response);
        return response;
    }

    private static void addAppHeaders(HttpResponse target, Response response) {
        for (Map.Entry<String, String> header : response.headers()) {
            target.headers().add(header.getKey(), header.getValue());
        }
    }
}
