package io.corral.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection after a refusal without destroying the refusal. A client still sending (the rest of a body
 * over {@code --limit-request-body}, say) when we close outright makes the kernel answer its next bytes with a
 * reset, and a reset can discard our 413 from the client's receive buffer before the client has read it. So, like
 * Nginx's lingering close: once the answer is written, send FIN (shut the output down), then read and drop whatever
 * still arrives until the client closes its side or {@link #LINGER_MILLIS} pass, and only then close. The reader is
 * placed first in the pipeline, so nothing read while lingering reaches the decoder: a body cannot be run as a
 * request. Event loop only.
 */
final class LingeringClose extends ChannelInboundHandlerAdapter {
    /** Long enough for a client on a slow link to finish a write in flight; short enough not to be a way to hold a
     *  connection (Nginx lingers up to 30 s, 5 s without data; a refused client has no reason to keep sending). */
    static final long LINGER_MILLIS = 2_000;

    /** Lingers once the write completes; closes at once if it failed. */
    static final ChannelFutureListener AFTER_WRITE = LingeringClose::afterWrite;

    private LingeringClose() {}

    private static void afterWrite(ChannelFuture written) {
        Channel channel = written.channel();
        if (!written.isSuccess() || !(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
            channel.close();
            return;
        }
        channel.pipeline().addFirst("linger", new LingeringClose());
        channel.config().setAutoRead(true); // a handler may have paused reading; the client's bytes must drain
        channel.eventLoop().schedule(() -> channel.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        duplex.shutdownOutput().addListener(shut -> {
            if (!shut.isSuccess()) {
                channel.close();
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Nothing to pass on.
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset from the client ends the linger; there is nothing to tell it
    }
}
