package io.corral.worker;

import io.corral.control.ControlClient;
import io.corral.control.ControlMessage;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Proves to the master that this worker serves: every event loop stamps a tick four times a second, and once a second
 * a heartbeat goes out only if every loop has ticked lately. A blocked event loop therefore silences the worker, and
 * the master's --timeout catches it (a live JVM with a dead loop is exactly the hang to catch).
 */
final class Heartbeat implements AutoCloseable {
    private static final long TICK_MILLIS = 250;
    private static final long STALE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("heartbeat").factory());
    private final List<java.util.concurrent.ScheduledFuture<?>> ticks = new ArrayList<>();

    Heartbeat(EventLoopGroup loops, ControlClient control, LongSupplier served) {
        var loopList = new ArrayList<EventExecutor>();
        loops.forEach(loopList::add);
        var lastTick = new AtomicLongArray(loopList.size());
        for (int i = 0; i < loopList.size(); i++) {
            int index = i;
            lastTick.set(index, System.nanoTime());
            ticks.add(loopList.get(i).scheduleAtFixedRate(() -> lastTick.set(index, System.nanoTime()),
                    0, TICK_MILLIS, TimeUnit.MILLISECONDS));
        }
        sender.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            for (int i = 0; i < lastTick.length(); i++) {
                if (now - lastTick.get(i) > STALE_NANOS) {
                    return; // a loop is stuck: stay silent, let the master decide
                }
            }
            control.send(new ControlMessage.Heartbeat(served.getAsLong()));
        }, 0, 1, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        sender.shutdownNow();
        ticks.forEach(t -> t.cancel(false));
    }
}
