package io.corral.config;

/**
 * The default worker count. Gunicorn suggests 2 × cores + 1 for small Python processes that wait on I/O; a JVM worker
 * already runs several threads (event loops, virtual-thread carriers, JIT compilers, GC) and serves thousands of
 * concurrent requests on virtual threads, so more JVMs than cores only add memory and context switches (measured in
 * ../shared/PLATFORM.md: on 2 cores even Gunicorn's -w 8 is no faster than -w 2, with a worse p99). One per core,
 * or $WEB_CONCURRENCY when set, as Gunicorn honours it.
 */
final class WorkerCount {
    private WorkerCount() {
    }

    static String defaultText() {
        String concurrency = System.getenv("WEB_CONCURRENCY");
        if (concurrency != null && concurrency.strip().matches("[1-9][0-9]{0,3}")) {
            return concurrency.strip();
        }
        return Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors()));
    }
}
