package io.corral.master;

/**
 * The master's monotonic time, in nanoseconds (HikariCP's {@code ClockSource}): {@link #SYSTEM} in production, a
 * clock the test moves by hand in the supervisor's unit and property tests, so timeouts and backoffs are decided
 * without waiting for them.
 */
interface Clock {
    Clock SYSTEM = System::nanoTime;

    long nanoTime();
}
