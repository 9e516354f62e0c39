package io.corral.ws;

import io.netty.channel.Channel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one session's callbacks one at a time, in the order the frames came, on virtual threads (so a callback may
 * block). Back-pressure: once {@code limit} callbacks wait, the socket is no longer read, so a client that sends
 * faster than the app handles fills its own TCP window instead of our heap; reading resumes at half the limit.
 * Submitted from the event loop; drained on a virtual thread.
 */
final class CallbackQueue {
    private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Executor executor;
    private final Channel channel;
    private final int limit;

    CallbackQueue(Executor executor, Channel channel, int limit) {
        this.executor = executor;
        this.channel = channel;
        this.limit = limit;
    }

    void submit(Runnable callback) {
        waiting.add(callback);
        if (size.incrementAndGet() >= limit) {
            channel.config().setAutoRead(false);
        }
        if (running.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            while ((next = waiting.poll()) != null) {
                next.run();
                if (size.decrementAndGet() == limit / 2) {
                    channel.eventLoop().execute(() -> channel.config().setAutoRead(true));
                }
            }
            running.set(false);
            // A submit between the last poll and the reset found running true and left the callback to us.
            if (waiting.isEmpty() || !running.compareAndSet(false, true)) {
                return;
            }
        }
    }
}
