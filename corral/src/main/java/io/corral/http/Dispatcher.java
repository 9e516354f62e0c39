package io.corral.http;

import io.corral.app.Handler;
import io.corral.app.Response;
import io.corral.app.WsListener;
import io.corral.config.TrustedProxies;
import io.corral.ws.WsHandshake;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of the pipeline: matches a whole request to a route and runs its handler on a virtual thread. Hot path:
 * route match and body copy on the event loop, nothing that blocks; the handler, JSON and streaming on the virtual
 * thread; the write back through the channel, which hands it to the event loop. A handler the app marked
 * {@link Handler#nonBlocking} runs right here on the event loop instead, and writes without a hand-off.
 *
 * <p>One request per connection at a time reaches this handler: {@link RequestSequencer} holds pipelined ones back
 * until the answer before them is written.
 */
final class Dispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final RouteTable routes;
    private final Executor handlers;
    private final TrustedProxies trusted;
    private final boolean keepAlive;
    private final ServingState state;
    private final WsHandshake handshake;

    Dispatcher(RouteTable routes, Executor handlers, TrustedProxies trusted, boolean keepAlive, ServingState state,
               WsHandshake handshake) {
        this.routes = routes;
        this.handlers = handlers;
        this.trusted = trusted;
        this.keepAlive = keepAlive;
        this.state = state;
        this.handshake = handshake;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request) {
            begin(ctx, request);
        } else if (msg instanceof UploadSplitter.StreamedRequest streamed) {
            beginStreamed(ctx, streamed);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Event loop: match the route and hand the request to a virtual thread. */
    private void begin(ChannelHandlerContext ctx, FullHttpRequest request) {
        state.countRequest();
        String method = request.method().name();
        boolean head = request.method().equals(HttpMethod.HEAD);
        // A draining worker answers what it has begun with Connection: close: the client's next request goes to a
        // worker that stays, and no request races our close.
        boolean close = !keepAlive || state.draining() || !HttpUtil.isKeepAlive(request);
        try {
            RoutePath path;
            try {
                path = RoutePath.of(request.uri());
            } catch (IllegalArgumentException e) {
                send(ctx, ErrorResponses.plain(HttpResponseStatus.BAD_REQUEST, "invalid percent-encoding in the path",
                        false), head, close);
                return;
            }
            RouteTable.WsMatch socket = WsHandshake.isUpgrade(request) ? routes.matchWs(path) : null;
            if (socket != null) {
                upgrade(ctx, request, path, socket, close);
                return;
            }
            switch (routes.match(method, path)) {
                case RouteMatch.NotFound n ->
                        send(ctx, ErrorResponses.plain(HttpResponseStatus.NOT_FOUND, "not found", false), head, close);
                case RouteMatch.MethodNotAllowed m -> {
                    FullHttpResponse response =
                            ErrorResponses.plain(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed", false);
                    response.headers().set(HttpHeaderNames.ALLOW, String.join(", ", m.allowed()));
                    send(ctx, response, head, close);
                }
                case RouteMatch.Found found -> {
                    var exchange = new ExchangeRequest(method, request.uri(), path, found.params(), request.headers(),
                            ClientAddress.of(ctx.channel().remoteAddress(), request.headers(), trusted),
                            ByteBufUtil.getBytes(request.content()));
                    if (found.handler() instanceof Handler.NonBlocking) {
                        run(ctx, found.handler(), exchange, head, close); // the app vouches it never blocks
                    } else {
                        handlers.execute(() -> run(ctx, found.handler(), exchange, head, close));
                    }
                }
            }
        } finally {
            request.release();
        }
    }

    /** Event loop: a streamed route's request, its body still arriving; the splitter has matched it already. */
    private void beginStreamed(ChannelHandlerContext ctx, UploadSplitter.StreamedRequest streamed) {
        state.countRequest();
        HttpRequest request = streamed.head();
        boolean close = !keepAlive || state.draining() || !HttpUtil.isKeepAlive(request);
        var exchange = new ExchangeRequest(request.method().name(), request.uri(), RoutePath.of(request.uri()),
                streamed.route().params(), request.headers(),
                ClientAddress.of(ctx.channel().remoteAddress(), request.headers(), trusted), new byte[0],
                streamed.body());
        handlers.execute(() -> run(ctx, streamed.route().handler(), exchange, false, close));
    }

    /**
     * Event loop: refuse what must not reach the app (bad handshake, foreign origin, draining worker), else ask the
     * app's {@code WsHandler} on a virtual thread and finish the handshake back on the event loop.
     */
    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, RoutePath path,
                         RouteTable.WsMatch socket, boolean close) {
        String client = ClientAddress.of(ctx.channel().remoteAddress(), request.headers(), trusted);
        String scheme = ClientAddress.scheme(ctx.channel().remoteAddress(), request.headers(), trusted);
        FullHttpResponse refusal = handshake.refusal(request, state.draining(), client, scheme);
        if (refusal != null) {
            send(ctx, refusal, false, close);
            return;
        }
        var exchange = new ExchangeRequest(request.method().name(), request.uri(), path, socket.params(),
                request.headers(), client, new byte[0]);
        request.retain();
        handlers.execute(() -> {
            WsListener listener;
            try {
                listener = socket.endpoint().handler().accept(exchange);
                if (listener == null) {
                    throw new IllegalStateException("WsHandler for " + path.decoded() + " returned null");
                }
            } catch (Throwable failure) {
                request.release();
                send(ctx, Failures.response(failure, "GET", exchange.path()), false, close);
                return;
            }
            ctx.channel().eventLoop().execute(() -> handshake.complete(ctx.channel(), request, exchange, listener,
                    socket.endpoint().subprotocols()));
        });
    }

    /** Virtual thread (or the event loop, for a {@link Handler.NonBlocking}): run the handler, write its answer. */
    private void run(ChannelHandlerContext ctx, Handler handler, ExchangeRequest request, boolean head, boolean close) {
        FullHttpResponse response;
        try {
            Object result = handler.handle(request);
            if (result instanceof Response r && r.streamBody() != null) {
                StreamedBody body = request.stream();
                StreamedBody.Drained drained = body == null ? StreamedBody.Drained.DONE : body.drain();
                if (drained == StreamedBody.Drained.GONE) {
                    return;  // before the answer, as for a full one below
                }
                boolean closing = close || drained == StreamedBody.Drained.NEVER_ASKED;
                // The stream waits for its writes to drain: never on the event loop that drains them.
                if (ctx.executor().inEventLoop()) {
                    handlers.execute(() -> stream(ctx, r, request, head, closing));
                } else {
                    stream(ctx, r, request, head, closing);
                }
                return;
            }
            response = Responses.full(result);
        } catch (Throwable failure) {
            if (request.stream() != null && request.stream().lost()) {
                // Not the app's failure: the client went away mid-upload, and there is no one to answer.
                log.info("{} {}: the client closed the connection before the body ended", request.method(),
                        request.path());
                return;
            }
            response = Failures.response(failure, request.method(), request.path());
        }
        StreamedBody body = request.stream();
        if (body != null) {
            StreamedBody.Drained drained = body.drain();
            if (drained == StreamedBody.Drained.GONE || body.answered()) {
                response.release();  // refused by the splitter (413, answered), or the connection is gone
                return;
            }
            close = close || drained == StreamedBody.Drained.NEVER_ASKED;
        }
        send(ctx, response, head, close || wantsClose(response));
    }

    /** The app may close the connection after its response; the rest of the pipeline then must know it too. */
    private static boolean wantsClose(HttpResponse response) {
        return response.headers().contains(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
    }

    private void stream(ChannelHandlerContext ctx, Response response, ExchangeRequest request, boolean head,
                        boolean close) {
        HttpResponse start = Responses.streamedHead(response);
        if (head) {
            // A HEAD answer has no body to frame: drop the chunked coding and never run the writer. With no length
            // to announce either, the connection cannot tell where a next response would start: close it.
            start.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            markClose(start, true);
            ctx.write(start);
            finish(ctx, LastHttpContent.EMPTY_LAST_CONTENT);
            return;
        }
        markClose(start, close || wantsClose(start));
        ctx.writeAndFlush(start);
        var out = new ChunkedBodyStream(ctx.channel());
        try {
            response.streamBody().writeTo(out);
            out.close();
        } catch (Throwable failure) {
            out.discard();
            // The status line is gone already; closing is the only honest signal left (RFC 9112 §8).
            log.warn("{} {}: streamed body failed after the response started; closing the connection: {}",
                    request.method(), request.path(), failure.toString());
            ctx.close();
            return;
        }
        finish(ctx, LastHttpContent.EMPTY_LAST_CONTENT);
    }

    private void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean head, boolean close) {
        if (head) {
            FullHttpResponse headOnly = response.replace(Unpooled.EMPTY_BUFFER);
            response.release();
            response = headOnly;
        }
        markClose(response, close);
        finish(ctx, response);
    }

    private static void markClose(HttpResponse response, boolean close) {
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    /** Writes the last message of an answer; {@link RequestSequencer} lets the next request in once it is out. */
    private static void finish(ChannelHandlerContext ctx, Object last) {
        ctx.writeAndFlush(last);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause instanceof PrematureChannelClosureException
                || cause.getCause() instanceof IOException) {
            log.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("connection from {} failed; closing it", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
