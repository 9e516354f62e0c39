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
    private final Map<Path, Process> training = new ConcurrentHashMap<>();
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
     * The cache's file name for {@code classpath} run by this JDK with {@code jvmOptions}: a digest of what the JVM
     * compares before it maps a cache. Null when the classpath holds a directory, which the JVM does not cache.
     */
    static String fileName(String jdk, String jvmOptions, List<Path> classpath) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        digest.update((jdk + "\n" + jvmOptions.strip() + "\n").getBytes(StandardCharsets.UTF_8));
        for (Path entry : classpath) {
            BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                return null;
            }
            digest.update((entry + "\0" + attributes.size() + "\0" + attributes.lastModifiedTime().toMillis() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return "worker-" + HexFormat.of().formatHex(digest.digest(), 0, 8) + ".aot";
    }

    /** The cache a worker of {@code release} starts with now: the operator's, else ours once it exists; or null. */
    Path forLaunch(Config config, Release release) {
        Path operators = release.aotCache();
        if (operators != null) {
            return operators;
        }
        Path ours = cacheFile(config, release);
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
        Path file = cacheFile(config, release);
        if (file == null || Files.isRegularFile(file) || training.containsKey(file)) {
            return;
        }
        for (Map.Entry<Path, Process> superseded : training.entrySet()) {  // of a release no longer current
            training.remove(superseded.getKey());
            superseded.getValue().destroyForcibly();
        }
        Path dir = file.getParent();
        Path partial = dir.resolve(file.getFileName() + ".partial");
        Path output = dir.resolve(file.getFileName() + ".log");
        Process process;
        try {
            Files.createDirectories(dir);
            share.with(config, dir);
            process = launcher.launchTraining(config, appClass, release, partial, output);
        } catch (IOException e) {
            once("dir " + dir, "Workers' AOT cache not made: cannot write {}: {} (--worker-aot-dir sets where)",
                    dir, FileErrors.why(e));
            return;
        }
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(ControlCodec.toJson(new ControlMessage.Configure(appClass, config.explicitValues(),
                    List.of())));
        } catch (IOException e) {
            log.warn("Workers' AOT cache: the training JVM (pid {}) did not take its settings: {}", process.pid(),
                    e.toString());
        }
        training.put(file, process);
        log.info(Logs.LIFECYCLE, "Making the workers' AOT cache {} in the background (pid {})", file,
                process.pid());
        long started = System.nanoTime();
        Thread.ofVirtual().name("aot-training-" + process.pid()).start(
                () -> finish(file, partial, output, process, started));
    }

    private void finish(Path file, Path partial, Path output, Process process, long started) {
        try {
            boolean exited = process.waitFor(TRAINING_LIMIT.toSeconds(), TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly().waitFor();
                log.warn("Workers' AOT cache not made: the training JVM took over {}; killed (its output: {})",
                        TRAINING_LIMIT, output);
            } else if (process.exitValue() == 0 && Files.isRegularFile(partial) && Files.size(partial) > 0) {
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                log.info(Logs.LIFECYCLE, "Workers' AOT cache made: {} ({} MB in {} s); workers started from now "
                        + "on use it", file, Files.size(file) >> 20, (System.nanoTime() - started) / 1_000_000_000);
                Files.deleteIfExists(output);
                prune(file);
            } else if (training.containsKey(file)) {
                log.warn("Workers' AOT cache not made: the training JVM exited with {} (its output: {})",
                        process.exitValue(), output);
            }
        } catch (IOException e) {
            log.warn("Workers' AOT cache not made: {}", FileErrors.why(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deletePartial(partial);
            training.remove(file);
        }
    }

    /** Keeps the newest {@link #KEEP} caches; a worker that mapped an older one keeps its pages. */
    private static void prune(Path made) {
        var caches = new ArrayList<Path>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(made.getParent(), "worker-*.aot")) {
            listing.forEach(caches::add);
        } catch (IOException e) {
            return;
        }
        caches.sort(Comparator.comparing(WorkerAotCache::modified).reversed());
        for (Path old : caches.subList(Math.min(KEEP, caches.size()), caches.size())) {
            try {
                Files.deleteIfExists(old);
            } catch (IOException ignored) {
                // kept; the next prune tries again
            }
        }
    }

    private static long modified(Path path) {
        try {
            return Files.getLastModifiedTime(path).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deletePartial(Path partial) {
        try {
            Files.deleteIfExists(partial);
            Files.deleteIfExists(partial.resolveSibling(partial.getFileName() + ".config"));
        } catch (IOException ignored) {
            // a leftover is overwritten by the next training
        }
    }

    private Path cacheFile(Config config, Release release) {
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
            String name = fileName(Runtime.version() + " " + System.getProperty("java.home"),
                    config.get(AppSettings.WORKER_JVM_OPTIONS), classpath);
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
        for (Map.Entry<Path, Process> running : training.entrySet()) {
            training.remove(running.getKey());
            running.getValue().destroyForcibly();
        }
    }
}
