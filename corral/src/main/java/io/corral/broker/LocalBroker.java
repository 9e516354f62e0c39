package io.corral.broker;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker of the workers of one host: a publish is delivered to this worker's listeners at once and sent to the
 * master, which relays it to every other worker that subscribes to the topic ({@link BrokerHub}). Unattached (a
 * worker embedded in a test, or an app run without a master) it serves this process alone.
 */
final class LocalBroker implements WorkerBroker {
    private static final Logger log = LoggerFactory.getLogger(LocalBroker.class);
    /** How long subscribe waits for the master to confirm; past it the subscription still takes effect. */
    private static final long CONFIRM_SECONDS = 5;

    private final String instance;
    private final Subscribers subscribers = new Subscribers();
    /** Per topic this worker subscribes to: completes when the master has it (at once when unattached). */
    private final Map<String, CompletableFuture<Void>> confirmed = new ConcurrentHashMap<>();
    private final Object subscriptions = new Object();
    private volatile Channel hub;
    private volatile Consumer<String> gone = id -> { };

    LocalBroker(String instance) {
        this.instance = instance;
    }

    @Override
    public void attachToMaster(Channel control) {
        control.pipeline().addAfter("frames", "broker", new Receiver());
        hub = control;
    }

    @Override
    public String instance() {
        return instance;
    }

    @Override
    public void onInstanceGone(Consumer<String> listener) {
        gone = listener;
    }

    @Override
    public void publish(String topic, byte[] message) {
        byte[] name = BrokerFrames.topicBytes(topic);
        subscribers.deliver(topic, message);
        Channel channel = hub;
        if (channel != null) {
            channel.writeAndFlush(BrokerFrames.publish(channel.alloc(), name, message));
        }
    }

    @Override
    public Subscription subscribe(String topic, Listener listener) {
        BrokerFrames.topicBytes(topic);
        CompletableFuture<Void> ready;
        synchronized (subscriptions) {
            if (subscribers.add(topic, listener)) {
                ready = new CompletableFuture<>();
                confirmed.put(topic, ready);
                send(BrokerFrames.SUBSCRIBE, topic, ready);
            } else {
                ready = confirmed.get(topic);
            }
        }
        awaitConfirmation(topic, ready);
        return () -> unsubscribe(topic, listener);
    }

    private void unsubscribe(String topic, Listener listener) {
        synchronized (subscriptions) {
            if (subscribers.remove(topic, listener)) {
                confirmed.remove(topic);
                send(BrokerFrames.UNSUBSCRIBE, topic, null);
            }
        }
    }

    private void send(byte kind, String topic, CompletableFuture<Void> ready) {
        Channel channel = hub;
        if (channel == null) {
            if (ready != null) {
                ready.complete(null);
            }
            return;
        }
        channel.writeAndFlush(BrokerFrames.named(channel.alloc(), kind, topic));
    }

    /** Subscribe's promise: messages published anywhere after it returns reach the listener. */
    private static void awaitConfirmation(String topic, CompletableFuture<Void> ready) {
        if (ready == null) {
            return;
        }
        try {
            ready.get(CONFIRM_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            log.warn("Broker: the master has not confirmed the subscription to {} within {}s", topic,
                    CONFIRM_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        subscribers.close();
    }

    /** What the master sends: relayed publishes, subscription confirmations, workers gone. */
    private final class Receiver extends BrokerFrameHandler {
        @Override
        void onFrame(ChannelHandlerContext ctx, ByteBuf frame) {
            switch (BrokerFrames.kind(frame)) {
                case BrokerFrames.PUBLISH -> subscribers.deliver(BrokerFrames.publishedTopic(frame),
                        BrokerFrames.publishedPayload(frame));
                case BrokerFrames.SUBSCRIBED -> {
                    CompletableFuture<Void> ready = confirmed.get(BrokerFrames.name(frame));
                    if (ready != null) {
                        ready.complete(null);
                    }
                }
                case BrokerFrames.GONE -> gone.accept(BrokerFrames.name(frame));
                default -> log.warn("Broker: unexpected frame kind {} from the master", BrokerFrames.kind(frame));
            }
        }
    }
}
