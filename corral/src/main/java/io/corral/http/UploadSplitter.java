package io.corral.http;

import io.corral.app.Handler;
import io.corral.app.HttpError;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Takes the requests of {@link Handler#streamed} routes out of the aggregation, after {@link RequestGuard} and
 * before {@link BodyAggregator}: their head goes on at once as a {@link StreamedRequest} and their chunks into its
 * {@link StreamedBody}, where the handler reads them while they arrive. The route's own limit replaces
 * {@code --limit-request-body}: a declared length over it is refused before a byte is read (413, and
 * {@code 100 Continue} is never sent), an undeclared body is refused at the first chunk past it. An expected
 * {@code 100 Continue} goes out at the handler's first read, not before it has looked at the request. Every other
 * request passes through untouched. Event loop only.
 */
final class UploadSplitter extends ChannelInboundHandlerAdapter {
    private final RouteTable routes;
    private StreamedBody body;
    private boolean refused;
    private long limit;
    private long received;

    UploadSplitter(RouteTable routes) {
        this.routes = routes;
    }

    /** A streamed route's request head, its match, and its body to come. */
    record StreamedRequest(HttpRequest head, RouteMatch.Found route, StreamedBody body) {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {  // the rest of a refused body, or what came after it: the connection is closing
            ReferenceCountUtil.release(msg);
            return;
        }
        if (body != null && msg instanceof HttpContent content) {
            take(ctx, content);
            return;
        }
        if (msg instanceof HttpRequest request && !(msg instanceof FullHttpRequest)) {
            RouteMatch.Found streamed = streamedRoute(request);
            if (streamed != null) {
                start(ctx, request, streamed);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private RouteMatch.Found streamedRoute(HttpRequest request) {
        RoutePath path;
        try {
            path = RoutePath.of(request.uri());
        } catch (IllegalArgumentException e) {
            return null;  // the dispatcher answers it
        }
        if (routes.match(request.method().name(), path) instanceof RouteMatch.Found found
                && found.handler() instanceof Handler.Streamed) {
            return found;
        }
        return null;
    }

    private void start(ChannelHandlerContext ctx, HttpRequest request, RouteMatch.Found found) {
        var streamed = (Handler.Streamed) found.handler();
        long declared = HttpUtil.getContentLength(request, -1L);
        if (declared > streamed.maxBodyBytes()) {
            ReferenceCountUtil.release(request);
            refuse(ctx, "declared length " + declared + " > " + streamed.maxBodyBytes());
            return;
        }
        String expect = request.headers().get(HttpHeaderNames.EXPECT);
        if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
            ReferenceCountUtil.release(request);
            refused = true;
            ctx.writeAndFlush(ErrorResponses.plain(HttpResponseStatus.EXPECTATION_FAILED, "unsupported expectation",
                    true)).addListener(LingeringClose.AFTER_WRITE);
            return;
        }
        body = new StreamedBody(ctx.channel());
        if (HttpUtil.is100ContinueExpected(request)) {
            body.expectContinue(() -> ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.CONTINUE)));
        }
        limit = streamed.maxBodyBytes();
        received = 0;
        ctx.fireChannelRead(new StreamedRequest(request, found, body));
        if (request instanceof HttpContent content) {
            take(ctx, content);
        }
    }

    private void take(ChannelHandlerContext ctx, HttpContent content) {
        StreamedBody current = body;
        received += content.content().readableBytes();
        boolean last = content instanceof LastHttpContent;
        if (received > limit) {
            content.release();
            body = null;
            current.refuse(new HttpError(413, "request body larger than " + limit + " bytes"));
            refuse(ctx, "body > " + limit);
            return;
        }
        if (content.content().isReadable()) {
            current.offer(content.content().retain());
        }
        content.release();
        if (last) {
            body = null;
            current.end();
        }
    }

    private void refuse(ChannelHandlerContext ctx, String detail) {
        refused = true;
        ctx.writeAndFlush(ErrorResponses.refusal(new BadRequest.BodyTooLarge(detail)))
                .addListener(LingeringClose.AFTER_WRITE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (body != null) {
            body.connectionLost();
            body = null;
        }
        ctx.fireChannelInactive();
    }
}
