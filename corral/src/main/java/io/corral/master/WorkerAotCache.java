package io.corral.master;

import io.corral.config.AppSettings;
import io.corral.config.Config;
import io.corral.config.ProcessSettings;
import io.corral.control.ControlCodec;
import io.corral.control.ControlMessage;
import io.corral.logging.FileErrors;
import io.corral.logging.Logs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers' AOT cache (JDK 25: JEP 483, 514, 515) that the master makes itself. Once a generation serves and no
 * cache matches what the JVM checks when it maps one (the JDK, the workers' JVM options, and each jar of the
 * classpath by path, size and time), the master runs one training JVM ({@code io.corral.worker.AotTraining}: the
 * app booted and warmed up on a private loopback port, never on the service's sockets), niced, in the background;
 * the JVM writes the cache as that process exits, and every worker started after that maps it (read-only and
 * shared, so its pages count once in PSS). The file is named by a digest of those inputs, so a new release or a
 * new JDK gets a cache of its own and never meets one the JVM would decline. Master loop, except the wait for a
 * training, which has a thread of its own.
 */
final class WorkerAotCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerAotCache.class);
    /** A training that takes longer is stuck (it takes 10 to 30 s on 2 cores): killed, tried again next reload. */
    private static final Duration TRAINING_LIMIT = Duration.ofMinutes(5);
    /** Caches kept: the newest two, the current release's and the one a rollback would go back to. */
    private static final int KEEP = 2;

    /** Gives a directory the master creates to the workers' user (--user), who writes the cache into it. */
    interface Share {
        void with(Config config, Path path) throws IOException;
    }

    private final Map<String, String> env;
    private final Path runDir;
    private final Share share;
    private final Map<Path, Training> training = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger trainings = new java.util.concurrent.atomic.AtomicInteger();
    /** Reasons already logged, so a reason that holds for every generation is said once. */
    private final Set<String> said = ConcurrentHashMap.newKeySet();

    WorkerAotCache(Map<String, String> env, Path runDir, Share share) {
        this.env = env;
        this.runDir = runDir;
        this.share = share;
    }

    /**
     * Where the caches go, or null for none: {@code --worker-aot-dir}; else systemd's {@code $CACHE_DIRECTORY}
     * (the unit's {@code CacheDirectory=}, writable under {@code ProtectSystem=strict}); else, when the master
     * drops privileges, its private run directory, since its own home is not the workers' user's; else
     * {@code $XDG_CACHE_HOME/corral}, {@code ~/.cache/corral}.
     */
    static Path directory(String setting, Map<String, String> env, boolean dropsPrivileges, Path runDir) {
        if (AppSettings.AOT_OFF.equals(setting)) {
            return null;
        }
        if (setting != null) {
            return Path.of(setting);
        }
        String systemd = env.get("CACHE_DIRECTORY");
        if (systemd != null && !systemd.isBlank()) {
            return Path.of(systemd.split(":")[0], "aot");
        }
        if (dropsPrivileges) {
            return runDir.resolve("aot");
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg, "corral", "aot");
        }
        String home = env.get("HOME");
        return home != null && home.startsWith("/") ? Path.of(home, ".cache", "corral", "aot") : runDir.resolve("aot");
    }

    /**
     * The cache's file name for {@code app}'s workers on {@code classpath}, run by {@code jvm} (the JDK, and the
     * options its environment adds) with {@code jvmOptions}: the app's name, then a digest of what the JVM compares
     * before it maps a cache. Null when the classpath holds a directory, which the JVM does not cache.
     */
    static String fileName(String app, String jvm, String jvmOptions, List<Path> classpath) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        digest.update((jvm + "\n" + jvmOptions.strip() + "\n").getBytes(StandardCharsets.UTF_8));
        for (Path entry : classpath) {
            BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                return null;
            }
            digest.update((entry + "\0" + attributes.size() + "\0" + attributes.lastModifiedTime().toMillis() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return prefix(app) + HexFormat.of().formatHex(digest.digest(), 0, 8) + ".aot";
    }

    /** What every file of {@code app}'s caches starts with: one directory may hold several apps' caches. */
    static String prefix(String app) {
        return app.replaceAll("[^A-Za-z0-9._]", "_") + "-";
    }

    /** The cache a worker of {@code release} starts with now: the operator's, else ours once it exists; or null. */
    Path forLaunch(Config config, String appClass, Release release) {
        Path operators = release.aotCache();
        if (operators != null) {
            return operators;
        }
        Path ours = cacheFile(config, appClass, release);
        return ours != null && Files.isRegularFile(ours) ? ours : null;
    }

    /**
     * Once a generation serves: makes its cache in the background, unless the operator gave one, ours exists, or
     * one is being made. A failure is one log line; the workers start without a cache, as they did.
     */
    void trainFor(Config config, String appClass, Release release, WorkerLauncher launcher) {
        if (release.aotCache() != null) {
            return;
        }
        Path file = cacheFile(config, appClass, release);
        if (file == null || Files.isRegularFile(file) || training.containsKey(file)) {
            return;
        }
        for (Map.Entry<Path, Training> superseded : training.entrySet()) {  // of a release no longer current
            if (training.remove(superseded.getKey(), superseded.getValue())) {
                superseded.getValue().kill();
            }
        }
        Path dir = file.getParent();
        // Names of this training alone: another master (a USR2's, another service's) may train the same cache.
        String own = file.getFileName() + "." + ProcessHandle.current().pid() + "-" + trainings.incrementAndGet();
        Path partial = dir.resolve(own + ".partial");
        Path output = dir.resolve(own + ".log");
        Training run;
        try {
            prepare(config, dir);
            run = new Training(launcher.launchTraining(config, appClass, release, partial, output), partial, output);
        } catch (IOException e) {
            once("dir " + dir, "Workers' AOT cache not made: cannot write {}: {} (--worker-aot-dir sets where)",
                    dir, FileErrors.why(e));
            return;
        }
        try (OutputStream stdin = run.process().getOutputStream()) {
            stdin.write(ControlCodec.toJson(new ControlMessage.Configure(appClass, config.explicitValues(),
                    List.of())));
        } catch (IOException e) {
            log.warn("Workers' AOT cache: the training JVM (pid {}) did not take its settings: {}",
                    run.process().pid(), e.toString());
        }
        training.put(file, run);
        log.info(Logs.LIFECYCLE, "Making the workers' AOT cache {} in the background (pid {})", file,
                run.process().pid());
        long started = System.nanoTime();
        Thread.ofVirtual().name("aot-training-" + run.process().pid()).start(() -> finish(file, run, started));
    }

    /** One training JVM and the files that are its alone. */
    private record Training(Process process, Path partial, Path output) {
        /** The JVM and what it started (JDK 25 assembles the cache in a child JVM as it exits). */
        void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /**
     * Creates the directory, and gives it to the workers' user, only when it is not there: a directory that exists
     * (the operator's, systemd's, or the run directory's, made at start) is never chowned, so a path the workers'
     * user could have swapped for a link never makes the master chown what it leads to.
     */
    private void prepare(Config config, Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        share.with(config, dir);
    }

    private void finish(Path file, Training run, long started) {
        Process process = run.process();
        try {
            boolean exited = process.waitFor(TRAINING_LIMIT.toSeconds(), TimeUnit.SECONDS);
            if (!exited) {
                run.kill();
                process.waitFor();
                log.warn("Workers' AOT cache not made: the training JVM took over {}; killed (its output: {})",
                        TRAINING_LIMIT, run.output());
            } else if (process.exitValue() == 0 && Files.isRegularFile(run.partial())
                    && Files.size(run.partial()) > 0) {
                Files.move(run.partial(), file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                log.info(Logs.LIFECYCLE, "Workers' AOT cache made: {} ({} MB in {} s); workers started from now "
                        + "on use it", file, Files.size(file) >> 20, (System.nanoTime() - started) / 1_000_000_000);
                Files.deleteIfExists(run.output());
                prune(file);
            } else if (training.get(file) == run) {
                log.warn("Workers' AOT cache not made: the training JVM exited with {} (its output: {})",
                        process.exitValue(), run.output());
            }
        } catch (IOException e) {
            log.warn("Workers' AOT cache not made: {}", FileErrors.why(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteIfExists(run.partial());
            deleteIfExists(run.partial().resolveSibling(run.partial().getFileName() + ".config"));
            training.remove(file, run);
        }
    }

    /**
     * Keeps the newest {@link #KEEP} caches of the app (a worker that mapped an older one keeps its pages), and
     * removes what a training killed with its master left (older than a training may take).
     */
    private static void prune(Path made) {
        String app = made.getFileName().toString().substring(0, made.getFileName().toString().lastIndexOf('-') + 1);
        var caches = new ArrayList<Path>();
        var leftovers = new ArrayList<Path>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(made.getParent(), app + "*")) {
            for (Path path : listing) {
                String name = path.getFileName().toString();
                if (name.endsWith(".aot")) {
                    caches.add(path);
                } else if (System.currentTimeMillis() - modified(path) > 2 * TRAINING_LIMIT.toMillis()) {
                    leftovers.add(path);
                }
            }
        } catch (IOException e) {
            return;
        }
        caches.sort(Comparator.comparing(WorkerAotCache::modified).reversed());
        leftovers.addAll(caches.subList(Math.min(KEEP, caches.size()), caches.size()));
        leftovers.forEach(WorkerAotCache::deleteIfExists);
    }

    private static long modified(Path path) {
        try {
            return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteIfExists(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a leftover is removed by a later prune
        }
    }

    /**
     * The JVM options the workers' environment adds ({@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}: the
     * master's own, or --env's): part of what a cache must match.
     */
    private String environmentOptions(Config config) {
        var workers = new java.util.HashMap<>(env);
        workers.putAll(WorkerLauncher.envSettings(config));
        var options = new java.util.TreeMap<String, String>();
        for (String name : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
            if (workers.get(name) != null) {
                options.put(name, workers.get(name));
            }
        }
        return options.toString();
    }

    private Path cacheFile(Config config, String appClass, Release release) {
        Path dir = directory(config.get(AppSettings.WORKER_AOT_DIR), env, config.get(ProcessSettings.USER) != null,
                runDir);
        if (dir == null) {
            return null;
        }
        try {
            var classpath = new ArrayList<Path>();
            for (String entry : release.classpathForLaunch().split(":")) {
                classpath.add(Path.of(entry));
            }
            String name = fileName(appClass, Runtime.version() + " " + System.getProperty("java.home") + " "
                    + environmentOptions(config), config.get(AppSettings.WORKER_JVM_OPTIONS), classpath);
            if (name == null) {
                if (said.add("directory")) {
                    log.debug("Workers' AOT cache: none, the workers' classpath has a directory (jars only)");
                }
                return null;
            }
            return dir.toAbsolutePath().resolve(name);
        } catch (IOException e) {
            once("classpath", "Workers' AOT cache: none, cannot read the classpath: {}", FileErrors.why(e));
            return null;
        }
    }

    private void once(String reason, String format, Object... args) {
        if (said.add(reason)) {
            log.warn(format, args);
        }
    }

    /** The master stops: a training still running is killed (at exit it would write its cache, slowly). */
    @Override
    public void close() {
        for (Map.Entry<Path, Training> running : training.entrySet()) {
            if (training.remove(running.getKey(), running.getValue())) {
                running.getValue().kill();
            }
        }
    }
}
