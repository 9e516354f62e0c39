package io.corral.broker;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Takes the broker's frames off a control channel (after its length framing, before the JSON codec) and lets the
 * control messages pass. Each frame is released after {@link #onFrame}. Event loop of the channel.
 */
abstract class BrokerFrameHandler extends ChannelInboundHandlerAdapter {

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame) || !BrokerFrames.isBrokerFrame(frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            onFrame(ctx, frame);
        } finally {
            frame.release();
        }
    }

    abstract void onFrame(ChannelHandlerContext ctx, ByteBuf frame);
}
