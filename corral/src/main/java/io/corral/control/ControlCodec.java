package io.corral.control;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.MessageToMessageCodec;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/** Turns {@link ControlMessage}s into length-prefixed JSON frames and back. One instance per channel. */
public final class ControlCodec extends MessageToMessageCodec<ByteBuf, ControlMessage> {
    /** Far above any real message; a corrupt length prefix must not make us allocate gigabytes. */
    private static final int MAX_FRAME = 16 * 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Adds the framing and this codec at the end of {@code pipeline}. */
    public static void install(ChannelPipeline pipeline) {
        pipeline.addLast("frames", new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4))
                .addLast("length", new LengthFieldPrepender(4))
                .addLast("control", new ControlCodec());
    }

    /** {@code message} as one JSON document, for a pipe that is not a control socket (a training JVM's stdin). */
    public static byte[] toJson(ControlMessage message) {
        return JSON.writerFor(ControlMessage.class).writeValueAsBytes(message);
    }

    /** The message {@link #toJson} wrote. */
    public static ControlMessage fromJson(byte[] json) {
        return JSON.readValue(json, ControlMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ControlMessage message, List<Object> out) {
        out.add(ctx.alloc().buffer().writeBytes(JSON.writerFor(ControlMessage.class).writeValueAsBytes(message)));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        out.add(JSON.readValue(ByteBufUtil.getBytes(frame), ControlMessage.class));
    }
}
