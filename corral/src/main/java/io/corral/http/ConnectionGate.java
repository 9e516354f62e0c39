package io.corral.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts a worker's open connections and enforces {@code --worker-connections}, first in the pipeline; shared by
 * every channel of the worker. A connection beyond the limit is not dropped on the floor: it is marked, its first
 * request is read and answered 503 with {@code Connection: close} by {@link RequestGuard}, so the client gets a clear
 * answer instead of a reset. Event loop only.
 */
@ChannelHandler.Sharable
final class ConnectionGate extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGate.class);
    private static final AttributeKey<Boolean> OVER_CAPACITY = AttributeKey.valueOf("corral.overCapacity");
    /** One warning per interval at most: a flood of refusals must not become a flood of log lines. */
    private static final long WARN_INTERVAL_NANOS = 10_000_000_000L;

    private final int limit;
    private final AtomicInteger open = new AtomicInteger();
    /** Every open connection (a closed one leaves by itself), for draining. */
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicLong refusedSinceWarning = new AtomicLong();
    private volatile long lastWarning = System.nanoTime() - WARN_INTERVAL_NANOS;

    ConnectionGate(int limit) {
        this.limit = limit;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        int now = open.incrementAndGet();
        connections.add(ctx.channel());
        if (now > limit) {
            ctx.channel().attr(OVER_CAPACITY).set(Boolean.TRUE);
            warn(now);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        ctx.fireChannelInactive();
    }

    private void warn(int now) {
        long refused = refusedSinceWarning.incrementAndGet();
        long t = System.nanoTime();
        if (t - lastWarning >= WARN_INTERVAL_NANOS) {
            lastWarning = t;
            refusedSinceWarning.set(0);
            log.warn("503 at --worker-connections {} (open={}); {} connection(s) refused since the last warning",
                    limit, now, refused);
        }
    }

    /** Whether the connection was accepted beyond the limit and must be refused. */
    static boolean isOverCapacity(ChannelHandlerContext ctx) {
        return ctx.channel().hasAttr(OVER_CAPACITY);
    }

    ChannelGroup connections() {
        return connections;
    }

    /** Open connections of this worker, this instant. */
    int openConnections() {
        return open.get();
    }
}
