package io.corral.ws;

import io.corral.app.Request;
import io.corral.app.WsListener;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opening handshake (RFC 6455 §4.2) in two halves around the app's decision: {@link #refusal} on the event loop
 * before any app code (version, key, origin, draining), {@link #complete} on the event loop once the app's
 * {@code WsHandler} has returned a listener. Completing replaces the HTTP tail of the pipeline with the WebSocket
 * one: Netty's handshaker swaps the codec; the frame handlers and the {@link WsConnection} go at the end.
 */
public final class WsHandshake {
    private static final Logger log = LoggerFactory.getLogger(WsHandshake.class);
    /** The HTTP handlers that mean nothing once the connection speaks WebSocket (see HttpInitializer). */
    private static final List<String> HTTP_ONLY = List.of("sequencer", "timeouts", "guard", "keep-alive",
            "dispatcher");
    private static final int WINDOW_BITS = 15;
    private static final int COMPRESSION_LEVEL = 6;

    private final WsConfig config;
    private final WsSessions sessions;
    private final Executor callbacks;

    public WsHandshake(WsConfig config, WsSessions sessions, Executor callbacks) {
        this.config = config;
        this.sessions = sessions;
        this.callbacks = callbacks;
    }

    /** Whether {@code request} asks to become a WebSocket ({@code Upgrade: websocket}). */
    public static boolean isUpgrade(HttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /** The answer to an upgrade that must not reach the app, or {@code null} when it may. Event loop. */
    public FullHttpResponse refusal(HttpRequest request, boolean draining, String client, String scheme) {
        HttpHeaders headers = request.headers();
        if (!"13".equals(headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
            FullHttpResponse response = plain(HttpResponseStatus.UPGRADE_REQUIRED, "WebSocket version 13 required");
            response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
            return response;
        }
        if (!request.method().name().equals("GET") || headers.get(HttpHeaderNames.SEC_WEBSOCKET_KEY) == null
                || !headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            return plain(HttpResponseStatus.BAD_REQUEST, "not a valid WebSocket upgrade (RFC 6455 4.2.1)");
        }
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        if (!config.origins().allows(origin, scheme, headers.get(HttpHeaderNames.HOST))) {
            log.info("403 WebSocket upgrade from {} refused: Origin {} is not allowed for {}://{} "
                    + "(--ws-allowed-origins)", client, origin, scheme, headers.get(HttpHeaderNames.HOST));
            return plain(HttpResponseStatus.FORBIDDEN, "origin not allowed");
        }
        if (draining) {
            FullHttpResponse response = plain(HttpResponseStatus.SERVICE_UNAVAILABLE, "worker restarting; retry");
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
            return response;
        }
        return null;
    }

    /**
     * Finishes the handshake for {@code request} (which this releases) and starts the session. Event loop of
     * {@code channel}.
     */
    public void complete(Channel channel, FullHttpRequest request, Request upgrade, WsListener listener,
                         List<String> subprotocols) {
        if (!channel.isActive()) {
            request.release();
            return;
        }
        HttpHeaders extra = new DefaultHttpHeaders();
        WebSocketServerExtension deflate = config.deflate() ? negotiateDeflate(request.headers(), extra) : null;
        var decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(config.maxSize())
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(deflate != null)
                .closeOnProtocolViolation(false)  // WsConnection answers, once
                .build();
        // refusal() has made sure the client speaks version 13
        WebSocketServerHandshaker handshaker = new StrictHandshaker(request.uri(),
                subprotocols.isEmpty() ? null : String.join(",", subprotocols), decoderConfig);
        ChannelPipeline pipeline = channel.pipeline();
        for (String name : HTTP_ONLY) {
            if (pipeline.get(name) != null) {
                pipeline.remove(name);
            }
        }
        // In place before the 101 goes out, so a frame that follows it at once finds its handlers.
        if (deflate != null) {
            pipeline.addLast("ws-inflate", deflate.newExtensionDecoder())
                    .addLast("ws-deflate", deflate.newExtensionEncoder());
        }
        var connection = new WsConnection(channel, listener, upgrade, sessions, config, callbacks);
        pipeline.addLast("ws-utf8", new Utf8FrameValidator(false))
                .addLast("ws-aggregator", new WebSocketFrameAggregator(config.maxSize()))
                .addLast("ws-session", connection);
        handshaker.handshake(channel, request, extra, channel.newPromise()).addListener(done -> {
            request.release();
            if (pipeline.get("access-log") != null) {
                pipeline.remove("access-log");
            }
            if (done.isSuccess()) {
                connection.opened(handshaker.selectedSubprotocol());
            } else {
                log.debug("WebSocket handshake with {} failed: {}", upgrade.clientAddress(), done.cause().toString());
                channel.close();
            }
        });
    }

    /** Agrees to the client's first acceptable permessage-deflate offer, adding the answer to {@code response}. */
    private WebSocketServerExtension negotiateDeflate(HttpHeaders request, HttpHeaders response) {
        String offered = request.get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
        if (offered == null) {
            return null;
        }
        // maxAllocation bounds what one message may inflate to: a small compressed frame cannot become gigabytes.
        var deflate = new PerMessageDeflateServerExtensionHandshaker(COMPRESSION_LEVEL,
                ZlibCodecFactory.isSupportingWindowSizeAndMemLevel(), WINDOW_BITS, false, false, config.maxSize());
        for (WebSocketExtensionData offer : WebSocketExtensionUtil.extractExtensions(offered)) {
            WebSocketServerExtension extension = deflate.handshakeExtension(offer);
            if (extension != null) {
                response.set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, headerValue(extension.newReponseData()));
                return extension;
            }
        }
        return null;
    }

    private static String headerValue(WebSocketExtensionData data) {
        var value = new StringBuilder(data.name());
        for (Map.Entry<String, String> parameter : data.parameters().entrySet()) {
            value.append("; ").append(parameter.getKey());
            if (parameter.getValue() != null) {
                value.append('=').append(parameter.getValue());
            }
        }
        return value.toString();
    }

    private static FullHttpResponse plain(HttpResponseStatus status, String text) {
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        return response;
    }
}
