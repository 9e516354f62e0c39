package io.corral.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Where a worker's boot went, phase by phase, for the debug line an operator (or a start-up profile) reads:
 * {@code Worker boot 2.41 s: jvm 412 ms, control 35 ms, app load 80 ms, app start 1.85 s, sockets 20 ms}. The clock
 * is a seam, so the arithmetic is tested without a JVM start.
 */
final class BootPhases {
    private record Phase(String name, long nanos) {
    }

    private final LongSupplier clock;
    private final List<Phase> phases = new ArrayList<>();
    private long last;
    private long total;

    /** {@code jvmNanos}: from the process's exec to this call (the JVM's own start, before any of our code). */
    BootPhases(long jvmNanos, LongSupplier clock) {
        this.clock = clock;
        this.last = clock.getAsLong();
        if (jvmNanos > 0) {
            phases.add(new Phase("jvm", jvmNanos));
            total = jvmNanos;
        }
    }

    /** The phase since the previous mark (or since the start) ended now, and was {@code name}. */
    void mark(String name) {
        long now = clock.getAsLong();
        phases.add(new Phase(name, now - last));
        total += now - last;
        last = now;
    }

    String summary() {
        var line = new StringBuilder("Worker boot ").append(duration(total)).append(':');
        for (int i = 0; i < phases.size(); i++) {
            line.append(i == 0 ? " " : ", ").append(phases.get(i).name()).append(' ')
                    .append(duration(phases.get(i).nanos()));
        }
        return line.toString();
    }

    private static String duration(long nanos) {
        long millis = nanos / 1_000_000;
        return millis < 1000 ? millis + " ms" : String.format(java.util.Locale.ROOT, "%.2f s", millis / 1000.0);
    }

    /** How long ago this process was exec'd, by the kernel's start time; 0 when the platform does not say. */
    static long sinceProcessStart() {
        return ProcessHandle.current().info().startInstant()
                .map(start -> java.time.Duration.between(start, java.time.Instant.now()).toNanos())
                .filter(nanos -> nanos > 0).orElse(0L);
    }
}
