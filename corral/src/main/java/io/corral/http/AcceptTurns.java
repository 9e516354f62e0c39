package io.corral.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ServerChannelRecvByteBufAllocator;

/**
 * Makes the workers sharing one listening socket take turns at accepting. Every worker's event loop is woken by a
 * new connection, and the one that runs first would accept the whole queue (Netty reads up to 16 per wake-up): a
 * client opening its connections in a burst, as Nginx fills its upstream keep-alive pool, landed them on one worker
 * while the others idled (nine tenths or more of the posts on one of two workers in a third of the benchmark's chat
 * runs, all of them in some). So a worker accepts one connection per wake-up and then yields its CPU, which lets a
 * worker woken by the same connection run and take the next one: libuv's single-accept mode does the same with a
 * 1 ns sleep. The price is a {@code sched_yield} per accepted connection, a microsecond beside the connection's own
 * setup.
 */
@ChannelHandler.Sharable
final class AcceptTurns extends ChannelInboundHandlerAdapter {
    static final AcceptTurns INSTANCE = new AcceptTurns();

    /** The listening channel's read allocator: one connection per read. */
    static ServerChannelRecvByteBufAllocator oneAtATime() {
        return (ServerChannelRecvByteBufAllocator) new ServerChannelRecvByteBufAllocator().maxMessagesPerRead(1);
    }

    private AcceptTurns() {
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.fireChannelReadComplete();
        Thread.yield();
    }
}
