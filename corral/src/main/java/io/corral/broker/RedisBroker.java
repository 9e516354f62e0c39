package io.corral.broker;

import io.corral.config.BrokerAddress;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker across hosts, on Redis pub/sub (Lettuce): every worker of every service pointed at the same Redis
 * subscribes there, so a publish reaches them all, the publisher's own worker included (through Redis, which keeps
 * each publisher's order). Redis going away never stops HTTP: publishes are refused at once and counted in a log
 * line, subscriptions are restored when Redis returns. Channels are named {@code corral:TOPIC}.
 */
final class RedisBroker implements WorkerBroker {
    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
    private static final String PREFIX = "corral:";
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final long WARN_INTERVAL_NANOS = 10_000_000_000L;

    private final String instance;
    private final String where;
    private final Subscribers subscribers = new Subscribers();
    private final ClientResources resources;
    private final RedisClient client;
    private final ScheduledExecutorService connector = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("broker-connect").factory());
    private final Object subscriptions = new Object();
    private final AtomicLong dropped = new AtomicLong();
    private volatile long lastWarning = System.nanoTime() - WARN_INTERVAL_NANOS;
    private volatile StatefulRedisPubSubConnection<String, byte[]> subscriber;
    private volatile StatefulRedisConnection<String, byte[]> publisher;
    private volatile boolean closed;

    RedisBroker(BrokerAddress.Redis address, String instance) {
        this.instance = instance;
        this.where = address.redacted();
        // One I/O thread is plenty for pub/sub; reconnect every second, not on Lettuce's 30 s back-off ceiling.
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1)
                .reconnectDelay(Delay.constant(RETRY)).build();
        RedisURI uri = RedisURI.create(address.uri());
        uri.setTimeout(Duration.ofSeconds(5));  // a command (subscribe) never waits longer than this
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
                if (connection == subscriber) {
                    log.info("Broker: connected to Redis at {}; subscribing to {} topic(s)", where,
                            subscribers.topics().size());
                    resubscribe();
                }
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (connection == subscriber && !closed) {
                    log.warn("Broker: lost Redis at {}; HTTP keeps serving, publishes are dropped until it returns",
                            where);
                }
            }
        });
        connect();
    }

    /** First connection; until it succeeds, retried every second (Lettuce reconnects by itself after that). */
    private void connect() {
        if (closed) {
            return;
        }
        try {
            var sub = client.connectPubSub(CODEC);
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, byte[] message) {
                    subscribers.deliver(channel.substring(PREFIX.length()), message);
                }
            });
            subscriber = sub;
            publisher = client.connect(CODEC);
            log.info("Broker: connected to Redis at {}", where);
            resubscribe();
        } catch (RedisException e) {
            if (subscriber == null) {
                log.warn("Broker: Redis at {} unreachable ({}); retrying every second, HTTP serves meanwhile",
                        where, e.getMessage());
            }
            connector.schedule(this::connect, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Subscribes (again) to every topic this worker has listeners for: asynchronously, from Lettuce's threads. */
    private void resubscribe() {
        var sub = subscriber;
        String[] channels = subscribers.topics().stream().map(t -> PREFIX + t).toArray(String[]::new);
        if (sub != null && channels.length > 0) {
            sub.async().subscribe(channels);
        }
    }

    @Override
    public String instance() {
        return instance;
    }

    @Override
    public void attachToMaster(io.netty.channel.Channel control) {
        // Redis carries every message; the master's hub is not needed.
    }

    @Override
    public void onInstanceGone(Consumer<String> listener) {
        // Redis says nothing of other hosts' workers: presence forgets them by expiry.
    }

    @Override
    public void publish(String topic, byte[] message) {
        BrokerFrames.topicBytes(topic);
        var pub = publisher;
        if (pub == null || !pub.isOpen()) {
            dropped(null);
            return;
        }
        pub.async().publish(PREFIX + topic, message).exceptionally(failure -> {
            dropped(failure);
            return 0L;
        });
    }

    private void dropped(Throwable failure) {
        long lost = dropped.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastWarning > WARN_INTERVAL_NANOS) {
            lastWarning = now;
            log.warn("Broker: {} publish(es) dropped so far: Redis at {} is unreachable{}", lost, where,
                    failure == null ? "" : " (" + failure.getMessage() + ")");
        }
    }

    @Override
    public Subscription subscribe(String topic, Listener listener) {
        BrokerFrames.topicBytes(topic);
        synchronized (subscriptions) {
            if (subscribers.add(topic, listener)) {
                var sub = subscriber;
                if (sub != null && sub.isOpen()) {
                    try {
                        sub.sync().subscribe(PREFIX + topic);  // returns once Redis confirms
                    } catch (RedisException e) {
                        log.warn("Broker: cannot subscribe to {} now ({}); will when Redis is back", topic,
                                e.getMessage());
                    }
                }
            }
        }
        return () -> unsubscribe(topic, listener);
    }

    private void unsubscribe(String topic, Listener listener) {
        synchronized (subscriptions) {
            var sub = subscriber;
            if (subscribers.remove(topic, listener) && sub != null && sub.isOpen()) {
                sub.async().unsubscribe(PREFIX + topic);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        connector.shutdownNow();
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
        subscribers.close();
    }
}
