package io.corral.http;

import io.corral.app.InvalidInput;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bodies of every error the server itself writes, in one place and two shapes: {@code {"error":..,"status":..}}
 * for a status with a reason, and FastAPI's {@code {"detail":[..]}} for field errors. Never a stack trace.
 */
final class ErrorResponses {
    private ErrorResponses() {
    }

    /** A refusal by the guard: its status, its fixed reason, and {@code Connection: close}. */
    static FullHttpResponse refusal(BadRequest problem) {
        return plain(BadRequest.status(problem), problem.reason(), true);
    }

    /** {@code {"error": reason, "status": code}}, optionally closing the connection after it. */
    static FullHttpResponse plain(HttpResponseStatus status, String reason, boolean close) {
        var body = new LinkedHashMap<String, Object>();
        body.put("error", reason);
        body.put("status", status.code());
        FullHttpResponse response = json(status, Json.write(body));
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    /** 422 with FastAPI's {@code detail} list. */
    static FullHttpResponse invalid(List<InvalidInput.FieldError> errors) {
        return json(HttpResponseStatus.UNPROCESSABLE_ENTITY, Json.write(Map.of("detail", errors)));
    }

    static FullHttpResponse json(HttpResponseStatus status, byte[] body) {
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        ServerHeaders.stamp(response);
        return response;
    }
}
