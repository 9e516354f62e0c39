package io.corral.config;

import java.util.List;

/** How worker JVMs are started: their options and where their classes come from. */
public final class AppSettings {
    private AppSettings() {
    }

    /**
     * Serial GC and a bounded heap keep an idle worker near 80 MB (a JVM left to its defaults on a large machine
     * grows to 300+ MB); exiting on OutOfMemoryError lets the master replace the worker instead of serving from a
     * JVM in an unknown state.
     */
    public static final String DEFAULT_WORKER_JVM_OPTIONS = "-XX:+UseSerialGC -Xmx256m -XX:+ExitOnOutOfMemoryError";

    public static final Setting<String> WORKER_JVM_OPTIONS = Setting.of("worker-jvm-options", Section.APP, "OPTIONS",
            Parsers.text(true), DEFAULT_WORKER_JVM_OPTIONS,
            "JVM options for each worker, separated by spaces.");

    public static final Setting<String> CLASSPATH = Setting.of("classpath", Section.APP, "PATH",
            Parsers.text(false), null,
            "Classpath of the workers (the app and its libraries), read afresh at each reload. Default: the master's.");

    static final List<Setting<?>> ALL = List.of(WORKER_JVM_OPTIONS, CLASSPATH);
}
