package io.corral.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clocks of an HTTP/1.1 connection, after {@link RequestSequencer} (one request at a time):
 * <ul>
 *   <li>idle between requests: {@code --keep-alive}, then a quiet close;</li>
 *   <li>a request arriving: {@code --header-timeout} for the head once its first byte is in, and again for each
 *       next part of the body, then 408 and close, so a client dripping bytes cannot hold a connection;</li>
 *   <li>a response that the client does not read (the channel stays unwritable): {@code --send-timeout}, then
 *       close, which also frees a streaming handler blocked on back-pressure.</li>
 * </ul>
 * No clock runs while a handler works: that is the app's time, guarded by the master's {@code --timeout}.
 *
 * <p>A draining worker does not close idle connections early: closing one at the instant its client sends the
 * next request loses that request (the client sees a reset). The next request is answered with
 * {@code Connection: close} instead ({@link Dispatcher}), and a connection with no next request ends at its
 * ordinary keep-alive expiry, the race every keep-alive client already handles. Event loop only.
 */
final class ReadTimeouts extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(ReadTimeouts.class);
    private static final long NO_CLOCK = Long.MAX_VALUE;

    private final long keepAliveNanos;
    private final long headerNanos;
    private final long sendNanos;
    private final BodyRate bodyRate;
    /** When the current body's head arrived, and how many body bytes have come since. */
    private long bodyStartNanos;
    private long bodyBytes;

    /** A request has arrived in full and its response has not been written in full. */
    private boolean answering;
    /** Bytes of a request head have arrived but the head is not complete. */
    private boolean headPending;
    /** The head is in, the body is not complete. */
    private boolean bodyPending;
    /** Whether a response has been written: before the first one, an idle connection is not "kept alive" yet. */
    private boolean served;
    /**
     * When the clock that applies now runs out ({@link System#nanoTime()}), or {@link #NO_CLOCK}. Arming a clock only
     * moves this; {@link #timer} fires at or before it and checks. Scheduling and cancelling a timer for each request
     * (twice: its head, then the idle time after its answer) cost 7% of a worker's CPU on a trivial route (profile in
     * docs/benchmarks.md); now a busy keep-alive connection reschedules about once per {@code --keep-alive}.
     */
    private long deadlineNanos = NO_CLOCK;
    private ScheduledFuture<?> timer;
    /** When {@link #timer} fires. */
    private long timerNanos;
    private ScheduledFuture<?> sendDeadline;

    ReadTimeouts(double keepAliveSeconds, double headerTimeoutSeconds, double sendTimeoutSeconds, BodyRate bodyRate) {
        this.keepAliveNanos = toNanos(keepAliveSeconds);
        this.headerNanos = toNanos(headerTimeoutSeconds);
        this.sendNanos = toNanos(sendTimeoutSeconds);
        this.bodyRate = bodyRate;
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
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            headPending = false;
            bodyPending = true;
            bodyStartNanos = System.nanoTime();
            bodyBytes = 0;
        }
        if (msg instanceof HttpContent content) {
            bodyBytes += content.content().readableBytes();
        }
        if (msg instanceof LastHttpContent) {
            bodyPending = false;
            answering = true;
            disarm();
        } else if (msg instanceof HttpContent || msg instanceof HttpRequest) {
            arm(ctx); // the body's next part has its own deadline
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // A 100 Continue is a whole message too, but the answer it belongs to is still to come.
        boolean interim = msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        if (msg instanceof LastHttpContent && !interim) {
            promise = promise.unvoid();
            promise.addListener(f -> {
                answering = false;
                served = true;
                arm(ctx);
            });
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            cancel(sendDeadline);
            sendDeadline = null;
        } else if (sendDeadline == null) {
            sendDeadline = ctx.executor().schedule(() -> {
                sendDeadline = null;
                ctx.close(); // the client stopped reading; what it has not read is lost either way
            }, sendNanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stopTimers();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stopTimers();
    }

    private void stopTimers() {
        disarm();
        cancel(timer);
        timer = null;
        cancel(sendDeadline);
    }

    /** Starts the clock that applies now; none while a request is being answered. */
    private void arm(ChannelHandlerContext ctx) {
        if (answering || !ctx.channel().isActive()) {
            disarm();
            return;
        }
        // A fresh connection gets the header timeout to send its first request, even with --keep-alive 0.
        long now = System.nanoTime();
        long nanos = headPending || bodyPending || !served ? headerNanos : keepAliveNanos;
        deadlineNanos = now + nanos;
        if (bodyPending && bodyRate.enabled()) {
            long rateDeadline = bodyRate.deadline(bodyStartNanos, bodyBytes);
            if (rateDeadline - deadlineNanos < 0) {
                deadlineNanos = rateDeadline;
                nanos = Math.max(0, rateDeadline - now);
            }
        }
        if (timer == null || timerNanos - deadlineNanos > 0) {  // none yet, or it would fire too late
            cancel(timer);
            schedule(ctx, nanos);
        }
    }

    private void schedule(ChannelHandlerContext ctx, long nanos) {
        timerNanos = System.nanoTime() + nanos;
        timer = ctx.executor().schedule(() -> tick(ctx), nanos, TimeUnit.NANOSECONDS);
    }

    /** Stops the clock; the timer, if one is pending, finds nothing to do when it fires. */
    private void disarm() {
        deadlineNanos = NO_CLOCK;
    }

    private void tick(ChannelHandlerContext ctx) {
        timer = null;
        if (deadlineNanos == NO_CLOCK) {
            return;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
            schedule(ctx, left);
        } else {
            expire(ctx);
        }
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        deadlineNanos = NO_CLOCK;
        if (answering) {
            return;
        }
        if (headPending || bodyPending) {
            String why;
            if (headPending) {
                why = "request headers not received within --header-timeout";
            } else if (bodyRate.enabled() && bodyRate.deadline(bodyStartNanos, bodyBytes) - System.nanoTime() <= 0) {
                why = "request body arrived slower than --min-body-rate " + bodyRate.bytesPerSecond() + " bytes/s";
            } else {
                why = "the rest of the request body not received within --header-timeout";
            }
            log.info("408 from {}: {}", ctx.channel().remoteAddress(), why);
            var response = ErrorResponses.plain(HttpResponseStatus.REQUEST_TIMEOUT, why, true);
            ctx.writeAndFlush(response).addListener(LingeringClose.AFTER_WRITE);
        } else {
            ctx.close();
        }
    }
}
