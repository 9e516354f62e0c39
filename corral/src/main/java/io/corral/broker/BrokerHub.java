package io.corral.broker;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's half of the local broker: relays each worker's publishes to the other workers that subscribe to the
 * topic, frame for frame, without decoding the payload. Hot path: one lookup and one retained duplicate per
 * receiving worker; flushes are batched per read. A worker whose control channel stays unwritable (its broker
 * thread cannot keep up) misses messages, with a warning, instead of growing the master's heap.
 * All state is touched only on the master's control event loop (one thread).
 */
public final class BrokerHub {
    private static final Logger log = LoggerFactory.getLogger(BrokerHub.class);
    private static final long WARN_INTERVAL_NANOS = 10_000_000_000L;

    private final Map<String, Set<Channel>> subscribers = new HashMap<>();
    private final Map<Channel, Set<String>> topicsOf = new HashMap<>();
    private final Set<Channel> dirty = new LinkedHashSet<>();
    private long dropped;
    private long lastWarning = System.nanoTime() - WARN_INTERVAL_NANOS;

    /** The handler for one worker's control channel, placed right after its length framing. */
    public ChannelHandler relayFor(long workerPid) {
        return new Relay(WorkerBroker.instanceOf(workerPid));
    }

    private void subscribe(Channel channel, String topic) {
        subscribers.computeIfAbsent(topic, t -> new HashSet<>()).add(channel);
        topicsOf.computeIfAbsent(channel, c -> new HashSet<>()).add(topic);
        channel.write(BrokerFrames.named(channel.alloc(), BrokerFrames.SUBSCRIBED, topic));
        dirty.add(channel);
    }

    private void unsubscribe(Channel channel, String topic) {
        Set<Channel> channels = subscribers.get(topic);
        if (channels != null && channels.remove(channel) && channels.isEmpty()) {
            subscribers.remove(topic);
        }
        Set<String> topics = topicsOf.get(channel);
        if (topics != null) {
            topics.remove(topic);
        }
    }

    private void relay(Channel from, ByteBuf frame) {
        Set<Channel> channels = subscribers.get(BrokerFrames.publishedTopic(frame));
        if (channels == null) {
            return;
        }
        for (Channel to : channels) {
            if (to == from) {
                continue;  // the publisher's worker delivered to its own listeners already
            }
            if (!to.isWritable()) {
                dropped(to);
                continue;
            }
            to.write(frame.retainedDuplicate());
            dirty.add(to);
        }
    }

    private void dropped(Channel to) {
        dropped++;
        long now = System.nanoTime();
        if (now - lastWarning > WARN_INTERVAL_NANOS) {
            lastWarning = now;
            log.warn("Broker: {} message(s) not relayed so far: a worker ({}) reads its control channel too slowly",
                    dropped, to.remoteAddress());
        }
    }

    private void flush() {
        for (Channel channel : dirty) {
            channel.flush();
        }
        dirty.clear();
    }

    /** A worker is gone: drop its subscriptions and tell the others, so its presence entries go at once. */
    private void leave(Channel channel, String instance) {
        Set<String> topics = topicsOf.remove(channel);
        if (topics != null) {
            for (String topic : topics) {
                Set<Channel> channels = subscribers.get(topic);
                if (channels != null && channels.remove(channel) && channels.isEmpty()) {
                    subscribers.remove(topic);
                }
            }
        }
        for (Channel other : topicsOf.keySet()) {
            other.writeAndFlush(BrokerFrames.named(other.alloc(), BrokerFrames.GONE, instance));
        }
    }

    private final class Relay extends BrokerFrameHandler {
        private final String instance;

        Relay(String instance) {
            this.instance = instance;
        }

        @Override
        void onFrame(ChannelHandlerContext ctx, ByteBuf frame) {
            switch (BrokerFrames.kind(frame)) {
                case BrokerFrames.PUBLISH -> relay(ctx.channel(), frame);
                case BrokerFrames.SUBSCRIBE -> subscribe(ctx.channel(), BrokerFrames.name(frame));
                case BrokerFrames.UNSUBSCRIBE -> unsubscribe(ctx.channel(), BrokerFrames.name(frame));
                default -> log.warn("Broker: unexpected frame kind {} from worker {}", BrokerFrames.kind(frame),
                        instance);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            flush();
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            leave(ctx.channel(), instance);
            ctx.fireChannelInactive();
        }
    }
}
