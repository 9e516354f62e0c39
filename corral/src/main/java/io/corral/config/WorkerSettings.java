package io.corral.config;

import java.util.List;

/** How many workers, and how each serves connections and is supervised. */
public final class WorkerSettings {
    private WorkerSettings() {
    }

    public static final Setting<Integer> WORKERS = Setting.of("workers", Section.WORKER, "INT",
            Parsers.intBetween(1, 1024), WorkerCount.defaultText(),
            "Worker processes (JVMs); one per core suits a JVM (see docs/operations.md).", "-w")
            .documentedDefault("$WEB_CONCURRENCY, else CPU cores");

    public static final Setting<Integer> THREADS = Setting.of("threads", Section.WORKER, "INT",
            Parsers.intBetween(1, 256), "1",
            "Event-loop threads per worker. Handlers run on virtual threads, so one loop per worker usually suffices.");

    public static final Setting<Integer> WORKER_CONNECTIONS = Setting.of("worker-connections", Section.WORKER, "INT",
            Parsers.intBetween(1, 1_000_000), "1000",
            "Open connections per worker; beyond it a new connection is answered 503 and closed.");

    public static final Setting<Double> TIMEOUT = Setting.of("timeout", Section.WORKER, "SECONDS",
            Parsers.secondsAtLeast(1), "30",
            "A worker silent this long (or not ready this long after starting) is dumped (SIGQUIT), killed, replaced.",
            "-t");

    public static final Setting<Double> GRACEFUL_TIMEOUT = Setting.of("graceful-timeout", Section.WORKER, "SECONDS",
            Parsers.secondsAtLeast(0), "30",
            "Seconds a stopping worker has to finish its requests before it is killed.");

    public static final Setting<Double> KEEP_ALIVE = Setting.of("keep-alive", Section.WORKER, "SECONDS",
            Parsers.secondsAtLeast(0), "5",
            "Seconds an idle keep-alive connection is held open for its next request (0 closes after each response).");

    public static final Setting<Double> HEADER_TIMEOUT = Setting.of("header-timeout", Section.WORKER, "SECONDS",
            Parsers.secondsAtLeast(0.1), "10",
            "Seconds to receive a request's headers once they start, or the next part of its body (then 408 and "
                    + "close: slowloris), and a new connection's first request.");

    public static final Setting<Integer> MIN_BODY_RATE = Setting.of("min-body-rate", Section.WORKER, "BYTES",
            Parsers.intBetween(0, Integer.MAX_VALUE), "240",
            "Bytes per second a request body must average once it has had 5 s, else 408 and close: a body that "
                    + "trickles (0: no minimum).");

    public static final Setting<Double> SEND_TIMEOUT = Setting.of("send-timeout", Section.WORKER, "SECONDS",
            Parsers.secondsAtLeast(0.1), "60",
            "Seconds a client may leave a response unread (its receive window full) before the connection is closed.");

    public static final Setting<Integer> MAX_REQUESTS = Setting.of("max-requests", Section.WORKER, "INT",
            Parsers.intBetween(0, Integer.MAX_VALUE), "0",
            "Requests and WebSocket sessions a worker serves before it is replaced gracefully (0: never).");

    public static final Setting<Integer> MAX_REQUESTS_JITTER = Setting.of("max-requests-jitter", Section.WORKER, "INT",
            Parsers.intBetween(0, Integer.MAX_VALUE), "0",
            "A random 0..N added to --max-requests per worker, so workers are not all replaced at once.");

    /**
     * 50 rounds: enough for the JIT's first tier to compile what a request runs (a method is compiled after about
     * 200 calls, and a round is one request per warm-up path), at a cost measured in docs/design.md.
     */
    public static final Setting<Integer> WORKER_WARM_UP = Setting.of("worker-warm-up", Section.WORKER, "ROUNDS",
            Parsers.intBetween(0, 10_000), "50",
            "Rounds of the app's warm-up requests (Routes.warmUp) a worker sends itself, through its own pipeline on "
                    + "a private loopback port, before it reports ready: the first clients after a start or a "
                    + "reload do not meet a cold JIT (0: none).");

    static final List<Setting<?>> ALL = List.of(WORKERS, THREADS, WORKER_CONNECTIONS, TIMEOUT, GRACEFUL_TIMEOUT,
            KEEP_ALIVE, HEADER_TIMEOUT, MIN_BODY_RATE, SEND_TIMEOUT, MAX_REQUESTS, MAX_REQUESTS_JITTER,
            WORKER_WARM_UP);
}
