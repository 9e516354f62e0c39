package io.corral.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The two clocks of an HTTP/1.1 connection, after the codec: {@code --keep-alive} while it is idle (then it is closed
 * quietly) and {@code --header-timeout} once a request head has started arriving (then 408 and close, so a slowloris
 * client cannot hold a connection by dripping header bytes). No clock runs while a request is being answered: the
 * handler's time is the app's business. Event loop only.
 */
final class ReadTimeouts extends ChannelDuplexHandler {
    private final long keepAliveNanos;
    private final long headerNanos;

    /** Requests whose head has arrived and whose response has not been written in full. */
    private int answering;
    /** Bytes of a request head have arrived but the head is not complete. */
    private boolean headPending;
    /** Whether a response has been written: before the first one, an idle connection is not "kept alive" yet. */
    private boolean served;
    private ScheduledFuture<?> deadline;

    private final ServingState state;

    ReadTimeouts(double keepAliveSeconds, double headerTimeoutSeconds, ServingState state) {
        this.keepAliveNanos = toNanos(keepAliveSeconds);
        this.headerNanos = toNanos(headerTimeoutSeconds);
        this.state = state;
    }

    private static long toNanos(double seconds) {
        return (long) (seconds * 1_000_000_000L);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == StrictRequestDecoder.RequestHeadStarted.INSTANCE) {
            headPending = true;
            arm(ctx);
        } else if (event == ServingState.Drain.INSTANCE) {
            arm(ctx);
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            headPending = false;
            answering++;
            disarm();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // A 100 Continue is a whole message too, but the answer it belongs to is still to come.
        boolean interim = msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        if (msg instanceof LastHttpContent && answering > 0 && !interim) {
            promise = promise.unvoid();
            promise.addListener(f -> {
                answering--;
                served = true;
                arm(ctx);
            });
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        disarm();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }

    /** Starts the clock that applies now; none while a request is being answered. */
    private void arm(ChannelHandlerContext ctx) {
        disarm();
        if (answering > 0 || !ctx.channel().isActive()) {
            return;
        }
        if (state.draining() && !headPending) {
            ctx.close(); // idle while the worker drains: nothing is lost by closing now
            return;
        }
        // A fresh connection gets the header timeout to send its first request, even with --keep-alive 0.
        long nanos = headPending || !served ? headerNanos : keepAliveNanos;
        deadline = ctx.executor().schedule(() -> expire(ctx), nanos, TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        deadline = null;
        if (answering > 0) {
            return;
        }
        if (headPending) {
            var response = ErrorResponses.plain(HttpResponseStatus.REQUEST_TIMEOUT,
                    "request headers not received within --header-timeout", true);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }
}
