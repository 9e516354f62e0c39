package io.corral.http;

import io.corral.app.Handler;
import io.corral.app.Response;
import io.corral.config.TrustedProxies;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of the pipeline: matches a whole request to a route and runs its handler on a virtual thread. Hot path:
 * route match and body copy on the event loop, nothing that blocks; the handler, JSON and streaming on the virtual
 * thread; the write back through the channel, which hands it to the event loop.
 *
 * <p>Invariant: at most one request per connection is being answered ({@code busy}); pipelined requests wait in
 * {@code waiting}, in arrival order, with reading paused, so responses leave in request order (RFC 9112 §9.3.2).
 */
final class Dispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final RouteTable routes;
    private final Executor handlers;
    private final TrustedProxies trusted;
    private final boolean keepAlive;
    private final ServingState state;

    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean busy;
    private boolean closing;

    Dispatcher(RouteTable routes, Executor handlers, TrustedProxies trusted, boolean keepAlive, ServingState state) {
        this.routes = routes;
        this.handlers = handlers;
        this.trusted = trusted;
        this.keepAlive = keepAlive;
        this.state = state;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request) || closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (busy) {
            waiting.add(request);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        begin(ctx, request);
    }

    /** Event loop: match the route and hand the request to a virtual thread. */
    private void begin(ChannelHandlerContext ctx, FullHttpRequest request) {
        busy = true;
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
                    handlers.execute(() -> run(ctx, found.handler(), exchange, head, close));
                }
            }
        } finally {
            request.release();
        }
    }

    /** Virtual thread: run the handler and write its answer. */
    private void run(ChannelHandlerContext ctx, Handler handler, ExchangeRequest request, boolean head, boolean close) {
        FullHttpResponse response;
        try {
            Object result = handler.handle(request);
            if (result instanceof Response r && r.streamBody() != null) {
                stream(ctx, r, request, head, close);
                return;
            }
            response = Responses.full(result);
        } catch (Throwable failure) {
            response = Failures.response(failure, request.method(), request.path());
        }
        send(ctx, response, head, close);
    }

    private void stream(ChannelHandlerContext ctx, Response response, ExchangeRequest request, boolean head,
                        boolean close) {
        HttpResponse start = Responses.streamedHead(response);
        markClose(start, close);
        if (head) {
            // A HEAD answer has no body to frame: drop the chunked coding and never run the writer.
            start.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            ctx.write(start);
            finish(ctx, LastHttpContent.EMPTY_LAST_CONTENT, close);
            return;
        }
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
        finish(ctx, LastHttpContent.EMPTY_LAST_CONTENT, close);
    }

    private void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean head, boolean close) {
        if (head) {
            FullHttpResponse headOnly = response.replace(Unpooled.EMPTY_BUFFER);
            response.release();
            response = headOnly;
        }
        markClose(response, close);
        finish(ctx, response, close);
    }

    private static void markClose(HttpResponse response, boolean close) {
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    /** Writes the last message of an answer; once it is out, the next waiting request starts (event loop). */
    private void finish(ChannelHandlerContext ctx, Object last, boolean close) {
        ctx.writeAndFlush(last).addListener(written -> {
            closing |= close || !written.isSuccess();
            next(ctx);
        });
    }

    private void next(ChannelHandlerContext ctx) {
        busy = false;
        if (closing || !ctx.channel().isActive()) {
            releaseWaiting();
            return;
        }
        FullHttpRequest request = waiting.poll();
        if (request != null) {
            begin(ctx, request);
        } else {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        releaseWaiting();
        ctx.fireChannelInactive();
    }

    private void releaseWaiting() {
        FullHttpRequest request;
        while ((request = waiting.poll()) != null) {
            request.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("connection from {} failed; closing it", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
