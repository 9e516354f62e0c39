package io.corral.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Pipelining, in order: lets one request at a time into the rest of the pipeline, right after the codec. A later
 * request (head and body) waits here, with reading paused, until the earlier one's response has been written in
 * full, so every handler after this one, refusals and {@code 100 Continue} included, answers requests in the order
 * they came (RFC 9112 §9.3.2). After a response that closes the connection, nothing more is let in. Event loop only.
 *
 * <p>Invariant: {@code waiting} is empty or starts with a request head; {@code answering} is true from a head's
 * release until its final response is written.
 */
final class RequestSequencer extends ChannelDuplexHandler {
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private boolean answering;
    private boolean closing;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!waiting.isEmpty() || (answering && msg instanceof HttpRequest)) {
            waiting.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        if (msg instanceof HttpRequest) {
            answering = true;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL
                && response.headers().contains(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true)) {
            closing = true;
        }
        boolean interim = msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        if (msg instanceof LastHttpContent && !interim) {
            promise = promise.unvoid();
            promise.addListener(written -> next(ctx));
        }
        ctx.write(msg, promise);
    }

    /** The answer is out: let the next waiting request in, or resume reading. */
    private void next(ChannelHandlerContext ctx) {
        answering = false;
        if (closing || !ctx.channel().isActive()) {
            releaseWaiting();
            return;
        }
        while (!waiting.isEmpty()) {
            Object msg = waiting.peek();
            if (msg instanceof HttpRequest && answering) {
                return; // the one after: stays until this one is answered
            }
            waiting.poll();
            if (msg instanceof HttpRequest) {
                answering = true;
            }
            ctx.fireChannelRead(msg);
        }
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseWaiting();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseWaiting();
    }

    private void releaseWaiting() {
        Object msg;
        while ((msg = waiting.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }
}
