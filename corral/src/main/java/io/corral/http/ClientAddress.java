package io.corral.http;

import io.corral.config.TrustedProxies;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * Who the client is, believing {@code X-Forwarded-For} only from a peer in {@code --forwarded-allow-ips}. The list is
 * walked from the right, skipping trusted proxies, and the first untrusted hop is the client (as Uvicorn's
 * ProxyHeadersMiddleware does): everything left of that hop was written by the client and proves nothing.
 * A Unix-socket peer is trusted: only a local process the socket's permissions admit can be on the other end.
 */
final class ClientAddress {
    private ClientAddress() {
    }

    static String of(SocketAddress peer, HttpHeaders headers, TrustedProxies trusted) {
        if (!(peer instanceof InetSocketAddress inet)) {
            return forwarded(headers, trusted, "unix");
        }
        InetAddress address = inet.getAddress();
        String direct = address == null ? inet.getHostString() : address.getHostAddress();
        return address != null && trusted.trusts(address) ? forwarded(headers, trusted, direct) : direct;
    }

    /**
     * The scheme the client used: {@code https} when a trusted proxy says so in {@code X-Forwarded-Proto} (Corral
     * itself speaks plain HTTP), {@code http} otherwise.
     */
    static String scheme(SocketAddress peer, HttpHeaders headers, TrustedProxies trusted) {
        boolean believed = !(peer instanceof InetSocketAddress inet)
                || inet.getAddress() != null && trusted.trusts(inet.getAddress());
        String proto = believed ? headers.get("X-Forwarded-Proto") : null;
        // Chained proxies append: the first value is the one the client's own connection had.
        return proto != null && proto.split(",")[0].strip().equalsIgnoreCase("https") ? "https" : "http";
    }

    private static String forwarded(HttpHeaders headers, TrustedProxies trusted, String fallback) {
        List<String> fields = headers.getAll("X-Forwarded-For");
        if (fields.isEmpty()) {
            return fallback;
        }
        String[] hops = String.join(",", fields).split(",");
        String leftmost = fallback;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (hop.isEmpty()) {
                continue;
            }
            leftmost = hop;
            InetAddress parsed = literal(hop);
            if (parsed == null || !trusted.trusts(parsed)) {
                return hop;
            }
        }
        return leftmost;
    }

    private static InetAddress literal(String text) {
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
