package io.corral.http;

import java.util.concurrent.atomic.LongAdder;

/** What every connection of a worker shares: whether the worker is draining, and how many requests it has served. */
final class ServingState {
    private volatile boolean draining;
    private final LongAdder served = new LongAdder();

    boolean draining() {
        return draining;
    }

    void startDraining() {
        draining = true;
    }

    void countRequest() {
        served.increment();
    }

    long served() {
        return served.sum();
    }
}
