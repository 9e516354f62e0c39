package io.corral.master;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The master's inbox. Any thread may {@link #add}; only the master loop drains. Producers never log or touch master
 * state (Gunicorn's "no logging, just queue"): they turn what happened into an event and return.
 */
final class MasterEvents {
    private final LinkedBlockingQueue<MasterEvent> queue = new LinkedBlockingQueue<>();

    void add(MasterEvent event) {
        queue.add(event);
    }

    /** Waits up to {@code timeout} for a first event, then takes every event already queued. */
    List<MasterEvent> drain(Duration timeout) throws InterruptedException {
        var events = new ArrayList<MasterEvent>();
        MasterEvent first = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (first != null) {
            events.add(first);
            queue.drainTo(events);
        }
        return events;
    }
}
