package io.corral.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * The broker's frames on a worker's control channel, beside the JSON control messages (which start with '{'): one
 * kind byte below 0x20, then a topic; a publish carries a 2-byte topic length and the payload after it, so the
 * master relays it without decoding anything but the topic. Hot path: no copies beyond the frame itself.
 */
public final class BrokerFrames {
    /** Worker → master: deliver this topic to me from now on. */
    static final byte SUBSCRIBE = 1;
    static final byte UNSUBSCRIBE = 2;
    /** Master → worker: the SUBSCRIBE of this topic has taken effect (publishes after this reach the worker). */
    static final byte SUBSCRIBED = 3;
    /** Either way: a message for a topic. */
    static final byte PUBLISH = 4;
    /** Master → worker: the worker with this instance id is gone (its presence entries can go too). */
    static final byte GONE = 5;
    private static final int MAX_TOPIC_BYTES = 0xFFFF;

    private BrokerFrames() {
    }

    /** Whether a control frame is the broker's (and not a JSON control message). */
    public static boolean isBrokerFrame(ByteBuf frame) {
        return frame.isReadable() && frame.getByte(frame.readerIndex()) < 0x20;
    }

    static byte kind(ByteBuf frame) {
        return frame.getByte(frame.readerIndex());
    }

    static ByteBuf named(ByteBufAllocator alloc, byte kind, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        return alloc.buffer(1 + bytes.length).writeByte(kind).writeBytes(bytes);
    }

    /** The topic or instance id of a frame other than PUBLISH. */
    static String name(ByteBuf frame) {
        return frame.toString(frame.readerIndex() + 1, frame.readableBytes() - 1, StandardCharsets.UTF_8);
    }

    /** A publish frame; {@code name} is the topic as {@link #topicBytes} checked and encoded it. */
    static ByteBuf publish(ByteBufAllocator alloc, byte[] name, byte[] payload) {
        return alloc.buffer(3 + name.length + payload.length)
                .writeByte(PUBLISH).writeShort(name.length).writeBytes(name).writeBytes(payload);
    }

    static String publishedTopic(ByteBuf frame) {
        int length = frame.getUnsignedShort(frame.readerIndex() + 1);
        return frame.toString(frame.readerIndex() + 3, length, StandardCharsets.UTF_8);
    }

    static byte[] publishedPayload(ByteBuf frame) {
        int start = frame.readerIndex() + 3 + frame.getUnsignedShort(frame.readerIndex() + 1);
        return ByteBufUtil.getBytes(frame, start, frame.writerIndex() - start);
    }

    static byte[] topicBytes(String topic) {
        byte[] bytes = topic.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_TOPIC_BYTES) {
            throw new IllegalArgumentException("a topic is 1 to 65535 bytes of UTF-8");
        }
        return bytes;
    }
}
