package io.corral.broker;

import io.corral.app.Broker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's listeners per topic, and the one broker thread that calls them: one message at a time, in arrival
 * order, so each listener sees each publisher's messages in publish order. Arrivals (from the control channel, from
 * Redis, from a local publish) only queue; the queue is bounded, and a message that finds it full is dropped with a
 * warning (delivery is at most once) rather than growing the heap or blocking the network thread.
 */
final class Subscribers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Subscribers.class);
    private static final int QUEUE_LIMIT = 65_536;
    private static final long WARN_INTERVAL_NANOS = 10_000_000_000L;

    private record Delivery(String topic, byte[] message) {
    }

    private final Map<String, List<Broker.Listener>> byTopic = new ConcurrentHashMap<>();
    private final BlockingQueue<Delivery> queue = new ArrayBlockingQueue<>(QUEUE_LIMIT);
    private final AtomicLong dropped = new AtomicLong();
    private volatile long lastWarning = System.nanoTime() - WARN_INTERVAL_NANOS;
    private final Thread thread;

    Subscribers() {
        thread = Thread.ofPlatform().daemon().name("broker").start(this::run);
    }

    /** Adds a listener; true when it is the topic's first in this worker. Callers serialize add and remove. */
    boolean add(String topic, Broker.Listener listener) {
        List<Broker.Listener> listeners = byTopic.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>());
        listeners.add(listener);
        return listeners.size() == 1;
    }

    /** Removes a listener; true when it was the topic's last in this worker. */
    boolean remove(String topic, Broker.Listener listener) {
        List<Broker.Listener> listeners = byTopic.get(topic);
        if (listeners == null || !listeners.remove(listener)) {
            return false;
        }
        if (listeners.isEmpty()) {
            byTopic.remove(topic);
            return true;
        }
        return false;
    }

    java.util.Set<String> topics() {
        return byTopic.keySet();
    }

    /** Queues {@code message} for the topic's listeners; never blocks. */
    void deliver(String topic, byte[] message) {
        if (!byTopic.containsKey(topic)) {
            return;
        }
        if (!queue.offer(new Delivery(topic, message))) {
            long lost = dropped.incrementAndGet();
            long now = System.nanoTime();
            if (now - lastWarning > WARN_INTERVAL_NANOS) {
                lastWarning = now;
                log.warn("Broker: {} message(s) dropped: {} wait for listeners that are too slow", lost,
                        QUEUE_LIMIT);
            }
        }
    }

    private void run() {
        try {
            while (true) {
                Delivery delivery = queue.take();
                List<Broker.Listener> listeners = byTopic.get(delivery.topic());
                if (listeners == null) {
                    continue;
                }
                for (Broker.Listener listener : listeners) {
                    try {
                        listener.onMessage(delivery.topic(), delivery.message());
                    } catch (RuntimeException e) {
                        log.warn("Broker: a listener of {} failed", delivery.topic(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
