package io.corral.config;

import java.util.List;

/** How worker JVMs are started: their options and where their classes come from. */
public final class AppSettings {
    private AppSettings() {
    }

    /**
     * Serial GC, a heap that starts at 16 MB and grows only with live data (capped at 256 MB), and exit on
     * OutOfMemoryError. Measured on an idle/loaded HelloApp worker: 93/116 MB RSS, against 139/187 MB without -Xms
     * (the JVM then commits its whole initial heap, 1/64 of RAM) and 300+ MB with no options at all. The master
     * replaces a worker that ran out of memory instead of letting it serve in an unknown state.
     */
    public static final String DEFAULT_WORKER_JVM_OPTIONS =
            "-XX:+UseSerialGC -Xms16m -Xmx256m -XX:+ExitOnOutOfMemoryError";

    public static final Setting<String> WORKER_JVM_OPTIONS = Setting.of("worker-jvm-options", Section.APP, "OPTIONS",
            Parsers.text(true), DEFAULT_WORKER_JVM_OPTIONS,
            "JVM options for each worker, separated by spaces.");

    public static final Setting<String> CLASSPATH = Setting.of("classpath", Section.APP, "PATH",
            Parsers.text(false), null,
            "Classpath of the workers (the app and its libraries), resolved afresh at each reload: symlinks followed, "
                    + "dir/* expanded. Default: bin/corral's install path lib/* (the release a symlink points at), "
                    + "else the master's.");

    /**
     * The system property bin/corral sets to the workers' classpath spelled through the install symlink
     * ({@code /opt/corral-chat/lib/*}), since the JVM expands its own {@code -cp} once, at start: the default of
     * {@link #CLASSPATH}.
     */
    public static final String LAUNCHER_CLASSPATH_PROPERTY = "corral.classpath";

    public static final Setting<String> DATABASE_URL = Setting.of("database-url", Section.APP, "JDBC-URL",
            Parsers.text(false), null,
            "The app's database (jdbc:mariadb://host/db), given to workers as $DATABASE_URL; credentials belong in "
                    + "$DATABASE_USER and $DATABASE_PASSWORD_FILE, never in the URL.");

    public static final Setting<String> WORKER_AOT_CACHE = Setting.of("worker-aot-cache", Section.APP, "FILE",
            Parsers.text(false), null,
            "A JDK AOT cache for the workers that the release brings (bin/corral-aot-train makes one), instead of "
                    + "the master's own (--worker-aot-dir): used when the file exists; ignored by the JVM, with a "
                    + "warning, if the classpath changed.");

    /** The value of {@link #WORKER_AOT_DIR} that turns the master's own AOT caches off. */
    public static final String AOT_OFF = "off";

    public static final Setting<String> WORKER_AOT_DIR = Setting.of("worker-aot-dir", Section.APP, "DIR",
            Parsers.text(false), null,
            "Where the master keeps the workers' AOT caches, which it makes itself, once per JVM, options and "
                    + "classpath, in the background once a generation serves; workers started after that use it. "
                    + "Default: systemd's $CACHE_DIRECTORY, else $XDG_CACHE_HOME/corral (~/.cache/corral), else "
                    + "(the master dropping privileges) its private run directory. 'off': none. --worker-aot-cache, "
                    + "when its file exists, comes first.");

    /** The workers' classpath as configured: --classpath, else the launcher's, else this JVM's own. */
    public static String workerClasspath(Config config) {
        String classpath = config.get(CLASSPATH);
        if (classpath != null) {
            return classpath;
        }
        return System.getProperty(LAUNCHER_CLASSPATH_PROPERTY, System.getProperty("java.class.path"));
    }

    static final List<Setting<?>> ALL = List.of(WORKER_JVM_OPTIONS, CLASSPATH, DATABASE_URL, WORKER_AOT_CACHE,
            WORKER_AOT_DIR);
}
