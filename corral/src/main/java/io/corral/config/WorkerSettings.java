package io.corral.config;

import java.util.List;

/** How each worker serves connections. */
public final class WorkerSettings {
    private WorkerSettings() {
    }

    public static final Setting<Integer> THREADS = Setting.of("threads", Section.WORKER, "INT",
            Parsers.intBetween(1, 256), "1",
            "Event-loop threads per worker. Handlers run on virtual threads, so one loop per worker usually suffices.");

    public static final Setting<Integer> WORKER_CONNECTIONS = Setting.of("worker-connections", Section.WORKER, "INT",
            Parsers.intBetween(1, 1_000_000), "1000",
            "Open connections per worker; beyond it a new connection is answered 503 and closed.");

    public static final Setting<Double> KEEP_ALIVE = Setting.of("keep-alive", Section.WORKER, "SECONDS",
            Parsers.secondsAtLeast(0), "5",
            "Seconds an idle keep-alive connection is held open for its next request (0 closes after each response).");

    public static final Setting<Double> HEADER_TIMEOUT = Setting.of("header-timeout", Section.WORKER, "SECONDS",
            Parsers.secondsAtLeast(0.1), "10",
            "Seconds to receive a request's headers once they start (then 408 and close: slowloris), "
                    + "and a new connection's first request.");

    static final List<Setting<?>> ALL = List.of(THREADS, WORKER_CONNECTIONS, KEEP_ALIVE, HEADER_TIMEOUT);
}
