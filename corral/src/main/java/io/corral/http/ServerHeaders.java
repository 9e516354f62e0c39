package io.corral.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;

/** The headers every response carries: {@code Server}, and {@code Date} (RFC 9110 §6.6.1: an origin server MUST). */
final class ServerHeaders {
    static final String SERVER = "corral";

    private ServerHeaders() {
    }

    static void stamp(HttpResponse response) {
        response.headers()
                .set(HttpHeaderNames.SERVER, SERVER)
                .set(HttpHeaderNames.DATE, HttpDate.now());
    }
}
