package io.corral.master;

import io.corral.cli.ExitCode;
import io.corral.config.CliSpec;
import io.corral.config.Config;
import io.corral.config.WorkerSettings;
import io.corral.control.ControlMessage;
import io.corral.logging.Logs;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gunicorn's arbiter for JVM workers: keeps {@code --workers} worker processes serving the shared sockets, replaces
 * the dead, kills the hung, and answers the signals. One thread (the caller of {@link #run}) owns all state; signal
 * handlers, control channels and exit watchers only queue {@link MasterEvent}s.
 *
 * <p>Generations: every worker belongs to one. HUP starts a new generation; an old worker is stopped only when a new
 * one is ready, so the service never has fewer ready workers than it had. A generation is a {@link Release}: the
 * workers' classpath as it resolved at the HUP that began it, which its replacements run too. Invariant: at most
 * {@code desired} workers of the current generation are not stopping and not retiring.
 */
public final class Master {
    private static final Logger log = LoggerFactory.getLogger(Master.class);
    private static final Duration TICK = Duration.ofMillis(200);
    /** Time a worker has, after SIGQUIT, to write its thread dump before SIGKILL. */
    private static final long DUMP_GRACE_NANOS = Duration.ofSeconds(2).toNanos();
    /** Boot failures in a row (no worker ready in between) before the master gives up instead of looping. */
    static final int MAX_BOOT_FAILURES = 3;
    /** While other workers serve, a worker that fails to boot is tried again after 1, 2, 4 ... up to 30 s. */
    private static final long MAX_BOOT_BACKOFF_NANOS = Duration.ofSeconds(30).toNanos();

    private final MasterEvents events;
    private final Workers workers = new Workers();
    private final Supplier<CliSpec.Parsed> reread;
    private final MasterRuntime runtime;
    private final Clock clock;

    private Config config;
    private String appClass;
    private int generation = 1;
    private Config previousConfig;
    /** The code of the current generation, and of the serving one while a reload boots. */
    private Release release;
    private Release previousRelease;
    private final OpenReleases releases = new OpenReleases();
    private final ServiceStatus status;
    /** While workers fail to boot beside serving ones: no new worker before this ({@link Clock}). */
    private long spawnNotBefore;
    private int desired;
    private int bootFailures;
    private boolean announcedReady;
    private boolean reloading;
    private long stopDeadline = -1;
    private boolean quickStop;

    /**
     * {@code reread} parses the command line, environment and config file again, for HUP; {@code relaunch} is the
     * command that starts a new master for USR2 (null: this JVM's own command line).
     */
    public Master(CliSpec.Parsed parsed, Supplier<CliSpec.Parsed> reread, List<String> relaunch) {
        this(parsed, reread, new MasterEvents(), relaunch, Clock.SYSTEM);
    }

    private Master(CliSpec.Parsed parsed, Supplier<CliSpec.Parsed> reread, MasterEvents events,
                   List<String> relaunch, Clock clock) {
        this(parsed, reread, events, new ProcessRuntime(events, new BinaryUpgrade(relaunch)), clock);
    }

    /** With the outside world given: the supervisor's tests pass a fake runtime, fake workers and their clock. */
    Master(CliSpec.Parsed parsed, Supplier<CliSpec.Parsed> reread, MasterEvents events, MasterRuntime runtime,
           Clock clock) {
        this.config = parsed.config();
        this.appClass = parsed.appClass();
        this.reread = reread;
        this.events = events;
        this.runtime = runtime;
        this.clock = clock;
        this.status = new ServiceStatus(runtime);
        this.desired = config.get(WorkerSettings.WORKERS);
    }

    /** Serves until a signal or a failure stops the master; returns the exit code. */
    public ExitCode run() {
        try {
            start();
            while (true) {
                for (MasterEvent event : events.drain(TICK)) {
                    handle(event);
                }
                tick();
            }
        } catch (MasterHalt halt) {
            return runtime.shutdown(halt, workers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return runtime.shutdown(new MasterHalt("interrupted", ExitCode.ERROR), workers);
        } catch (Exception e) {
            log.error("Master failed: {}", e.toString(), e);
            return runtime.shutdown(new MasterHalt(String.valueOf(e.getMessage()), ExitCode.ERROR), workers);
        }
    }

    /** Opens what the master holds and resolves the first generation's release; halts (exit 1) if it cannot. */
    void start() {
        try {
            runtime.start(config, appClass, workers);
            release = releases.add(runtime.resolveRelease(config));
        } catch (IOException e) {
            throw new MasterHalt(e.getMessage(), ExitCode.ERROR);  // one line: what, where and why
        }
        warnAboutWorkerCount(desired);
    }

    /** What the loop does after each batch of events, and every {@link #TICK} without one. */
    void tick() throws IOException {
        long now = clock.nanoTime();
        killHung(now);
        manageWorkers(now);
        runtime.watchdog(now);
        runtime.workerCount(workers.all().size(), now);
    }

    /** The workers as the master sees them (for the supervisor's tests). */
    Workers workers() {
        return workers;
    }

    int desired() {
        return desired;
    }

    int generation() {
        return generation;
    }

    boolean reloading() {
        return reloading;
    }

    /** Whether the service has been ready once (READY=1): from then on, boot failures beside it only back off. */
    boolean announcedReady() {
        return announcedReady;
    }

    void handle(MasterEvent event) throws IOException {
        switch (event) {
            case MasterEvent.SignalReceived s -> onSignal(s.name());
            case MasterEvent.WorkerConnected c -> {
                WorkerHandle handle = workers.get(c.id());
                if (handle == null) {
                    c.channel().close();
                } else {
                    handle.process.connected(c.channel());
                }
            }
            case MasterEvent.WorkerSaid said -> onWorkerMessage(workers.get(said.id()), said.message());
            case MasterEvent.WorkerExited exited -> reapExited(exited);
            case MasterEvent.NewMasterConnected c -> runtime.onNewMasterConnected(c.channel());
            case MasterEvent.NewMasterSaid said -> runtime.onNewMasterSaid(said.message());
            case MasterEvent.NewMasterExited exited -> runtime.onNewMasterExited(workers, exited);
        }
    }

    private void onSignal(String name) {
        log.info(Logs.LIFECYCLE, "Handling signal: {}", name.toLowerCase(java.util.Locale.ROOT));
        if (stopDeadline >= 0 && List.of("HUP", "TTIN", "TTOU", "WINCH", "USR2").contains(name)) {
            log.warn("Ignoring {}: the master is stopping", name);  // nothing may start once a stop has begun
            return;
        }
        switch (name) {
            case "HUP" -> onHup();
            case "TERM" -> onTerm();
            case "INT" -> onInt();
            case "TTIN" -> onTtin();
            case "TTOU" -> onTtou();
            case "USR1" -> onUsr1();
            case "WINCH" -> onWinch();
            case "USR2" -> runtime.beginUpgrade(workers);
            default -> log.warn("ignoring signal {}", name);
        }
    }

    /** HUP: re-read the configuration; start a new generation, retiring old workers as new ones are ready. */
    private void onHup() {
        CliSpec.Parsed parsed;
        Release next;
        try {
            parsed = reread.get();
            next = releases.add(runtime.resolveRelease(parsed.config()));
        } catch (Config.InvalidSetting e) {
            log.error(Logs.LIFECYCLE, "Reload refused, the running configuration stays: {}", e.getMessage());
            return;
        } catch (IOException e) {
            log.error(Logs.LIFECYCLE, "Reload refused, generation {} keeps serving: {}", generation,
                    e.getMessage());
            return;
        }
        runtime.reconfigure(config, parsed.config());
        if (!reloading) {
            // The serving generation's, kept to go back to if the new one fails. A HUP during a reload leaves them:
            // the generation still booting was never proved.
            previousConfig = config;
            previousRelease = release;
        }
        config = parsed.config();
        release = next;
        generation++;
        desired = config.get(WorkerSettings.WORKERS);
        reloading = true;
        bootFailures = 0;
        spawnNotBefore = 0;
        status.bootProblem = null;
        releases.closeUnused(release, previousRelease, workers);
        status.send("RELOADING=1", "Reloading: starting generation " + generation);
        log.info(Logs.LIFECYCLE, "Reloading: starting generation {} with {} workers from {}", generation, desired,
                release);
        warnAboutWorkerCount(desired);
    }

    /** TERM: graceful stop within --graceful-timeout; a second TERM stops now. */
    private void onTerm() {
        if (stopDeadline >= 0) {
            log.info("Second TERM: stopping now");
            onInt();
            return;
        }
        status.send("STOPPING=1", "Stopping: finishing requests");
        double grace = config.get(WorkerSettings.GRACEFUL_TIMEOUT);
        long now = clock.nanoTime();
        stopDeadline = now + (long) (grace * 1e9);
        for (WorkerHandle handle : workers.all()) {
            workers.stop(handle, ControlMessage.StopMode.GRACEFUL, now);
        }
    }

    /** INT: quick stop; in-flight requests are cut off. */
    private void onInt() {
        status.send("STOPPING=1", "Stopping now");
        quickStop = true;
        stopDeadline = clock.nanoTime();
        for (WorkerHandle handle : workers.all()) {
            workers.kill(handle);
        }
    }

    /** TTIN: one more worker. */
    private void onTtin() {
        desired++;
        log.info("Workers: {} wanted", desired);
    }

    /** TTOU: one worker fewer (never below one; WINCH stops them all). */
    private void onTtou() {
        desired = Math.max(1, desired - 1);
        log.info("Workers: {} wanted", desired);
    }

    /** WINCH: stop every worker, keep the master and the sockets; TTIN or HUP brings workers back. */
    private void onWinch() {
        desired = 0;
        log.info("Stopping all workers; the master stays (TTIN or HUP to serve again)");
    }

    /** USR1: reopen the log files in the master and every worker (after logrotate). */
    private void onUsr1() {
        runtime.reopenLogs();
        workers.sendAll(new ControlMessage.ReopenLogs());
    }

    private void onWorkerMessage(WorkerHandle handle, ControlMessage message) {
        if (handle == null) {
            return;
        }
        switch (message) {
            case ControlMessage.Hello hello -> handle.send(new ControlMessage.Configure(appClass,
                    handle.config.explicitValues(), runtime.socketKinds()));
            case ControlMessage.Ready ready -> onReady(handle);
            case ControlMessage.Heartbeat beat -> {
                handle.lastHeartbeat = clock.nanoTime();
                handle.served = beat.served();
                if (handle.maxServed > 0 && beat.served() >= handle.maxServed && !handle.retiring) {
                    log.info("{} served {} (--max-requests): replacing it", handle, beat.served());
                    handle.retiring = true;
                }
            }
            case ControlMessage.BootFailed failed -> handle.bootFailure = failed.reason();
            default -> log.warn("{} sent an unexpected {}", handle, message.getClass().getSimpleName());
        }
    }

    private void onReady(WorkerHandle handle) {
        if (handle.state == WorkerHandle.State.BOOTING) {
            handle.state = WorkerHandle.State.READY;
        }
        handle.lastHeartbeat = clock.nanoTime();
        bootFailures = 0;
        spawnNotBefore = 0;
        status.bootProblem = null;
        if (handle.state == WorkerHandle.State.STOPPING) {
            // Superseded while it booted: it never serves, so "ready" would mislead whoever reads the log.
            log.debug("{} finished booting after it was told to stop", handle);
        } else {
            log.info(Logs.LIFECYCLE, "{} ready", handle);
        }
    }

    private void reapExited(MasterEvent.WorkerExited exited) {
        WorkerHandle handle = workers.remove(exited.id());
        if (handle == null) {
            return;
        }
        releases.closeUnused(release, previousRelease, workers);
        String how = ExitStatus.describe(exited.status());
        boolean expected = handle.state == WorkerHandle.State.STOPPING;
        if (expected && !handle.killed) {
            log.info("{} stopped ({})", handle, how);
        } else if (handle.state == WorkerHandle.State.BOOTING && stopDeadline < 0) {
            onBootFailure(handle, exited.status(), how);
        } else if (stopDeadline < 0 || handle.killed && !quickStop) {
            log.error("{} {}", handle, how);
        }
    }

    private void onBootFailure(WorkerHandle handle, int exitStatus, String how) {
        String reason = handle.bootFailure != null ? handle.bootFailure
                : handle.process.lastWords() != null ? how + " (it said: " + handle.process.lastWords().strip() + ")"
                : how;
        log.error("{} failed to boot: {}", handle, reason);
        if (handle.generation != generation) {
            return;
        }
        bootFailures++;
        if (reloading && previousConfig != null) {
            abandonReload(reason);
            return;
        }
        long serving = workers.where(WorkerHandle::serving).size();
        if (announcedReady && serving > 0) {
            // The service is up: a worker that cannot be replaced must not take the healthy ones down.
            long backoff = Math.min(MAX_BOOT_BACKOFF_NANOS, Duration.ofSeconds(1).toNanos() << Math.min(
                    bootFailures - 1, 5));
            spawnNotBefore = clock.nanoTime() + backoff;
            status.bootProblem = reason;
            log.warn(Logs.LIFECYCLE, "{} of {} workers serve; the next worker starts in {}s", serving, desired,
                    backoff / 1_000_000_000);
            return;
        }
        if (bootFailures >= MAX_BOOT_FAILURES) {
            boolean appError = exitStatus == ExitCode.APP_LOAD_ERROR.code();
            throw new MasterHalt((appError ? "App failed to load: " : "Worker failed to boot: ") + reason,
                    appError ? ExitCode.APP_LOAD_ERROR : ExitCode.WORKER_BOOT_ERROR);
        }
    }

    /**
     * A reload whose new workers do not boot: go back to the generation that serves. The new generation's booting
     * workers stop (gracefully, as superseded ones do); those already ready retire like old ones, once the restored
     * generation covers for them.
     */
    private void abandonReload(String reason) {
        long now = clock.nanoTime();
        for (WorkerHandle h : workers.where(h -> h.generation == generation)) {
            if (h.state == WorkerHandle.State.READY) {
                h.retiring = true;
            } else {
                workers.stop(h, ControlMessage.StopMode.REPLACED, now);
            }
        }
        log.error(Logs.LIFECYCLE, "Reload failed, generation {} keeps serving: {}", generation - 1, reason);
        config = previousConfig;
        previousConfig = null;
        release = previousRelease;
        previousRelease = null;
        generation++;  // a fresh number, so replacements of lost old workers are told apart from the failed ones
        desired = config.get(WorkerSettings.WORKERS);
        for (WorkerHandle h : workers.where(h -> h.state != WorkerHandle.State.STOPPING && !h.retiring)) {
            workers.reassign(h, generation);
        }
        reloading = false;
        releases.closeUnused(release, previousRelease, workers);
        status.reloadProblem = reason;
        status.send("READY=1", "Reload failed: " + reason);
    }

    /** Kills workers silent past --timeout (thread dump first), stopping ones past --graceful-timeout. */
    private void killHung(long now) {
        long timeout = (long) (config.get(WorkerSettings.TIMEOUT) * 1e9);
        for (WorkerHandle handle : workers.all()) {
            long graceNanos = (long) (handle.config.get(WorkerSettings.GRACEFUL_TIMEOUT) * 1e9);
            if (handle.state == WorkerHandle.State.STOPPING) {
                if (now - handle.stopSentAt > graceNanos + DUMP_GRACE_NANOS && !handle.killed) {
                    log.warn("{} still running {}s after the stop request; killing it", handle,
                            (now - handle.stopSentAt) / 1_000_000_000);
                    workers.kill(handle);
                }
            } else if (handle.abortedAt != 0) {
                if (now - handle.abortedAt > DUMP_GRACE_NANOS) {
                    workers.kill(handle);
                }
            } else if (handle.state == WorkerHandle.State.BOOTING && now - handle.spawnedAt > timeout) {
                abort(handle, now, "not ready " + (now - handle.spawnedAt) / 1_000_000_000 + "s after starting");
            } else if (handle.state == WorkerHandle.State.READY && now - handle.lastHeartbeat > timeout) {
                abort(handle, now, "silent for " + (now - handle.lastHeartbeat) / 1_000_000_000 + "s");
            }
        }
    }

    private void abort(WorkerHandle handle, long now, String why) {
        log.error("WORKER TIMEOUT: {} {} > --timeout {}; sending SIGQUIT for a thread dump, then SIGKILL",
                handle, why, config.get(WorkerSettings.TIMEOUT));
        handle.abortedAt = now;
        handle.process.dumpToErrorLog();
        handle.process.signal(Posix.SIGQUIT);
    }

    /**
     * Spawns what is missing, retires what is extra or old, and finishes a stop or a reload. An old worker (of an
     * older generation, or retiring) that is still booting never served: it stops at once, which is how a HUP
     * during a reload supersedes the generation that was booting. Gracefully all the same (REPLACED): it may have
     * taken the shared sockets in the instant before its ready reached us, and a connection it accepted then must
     * be answered, not reset (ZeroDowntimeIT saw one). One that serves stops only while the current
     * generation's ready workers already cover {@code desired}: however many HUPs come, and in whatever order, the
     * number of serving workers drops only when a worker dies or the operator asks for fewer.
     */
    private void manageWorkers(long now) throws IOException {
        if (stopDeadline >= 0) {
            finishStopping(now);
            return;
        }
        List<WorkerHandle> current = workers.where(h -> h.generation == generation && !h.retiring
                && h.state != WorkerHandle.State.STOPPING);
        for (int i = current.size(); i < desired && now - spawnNotBefore >= 0; i++) {
            workers.spawn(generation, config, release, appClass, now);
        }
        // TTOU and WINCH: the extra ones stop, those still booting first (the serving ones sort to the front).
        current.sort(java.util.Comparator.comparing(h -> !h.serving()));
        for (WorkerHandle extra : current.subList(Math.min(desired, current.size()), current.size())) {
            workers.stop(extra, desired > 0 ? ControlMessage.StopMode.REPLACED : ControlMessage.StopMode.GRACEFUL,
                    now);
        }
        long ready = current.stream().filter(h -> h.serving() && h.state != WorkerHandle.State.STOPPING).count();
        List<WorkerHandle> old = workers.where(h -> (h.generation != generation || h.retiring)
                && h.state != WorkerHandle.State.STOPPING);
        long keepOld = Math.max(0, desired - ready);
        for (WorkerHandle h : old) {
            if (h.state == WorkerHandle.State.BOOTING) {
                log.info(Logs.LIFECYCLE, "{} of generation {} superseded by generation {} before it was ready; "
                        + "stopping it", h, h.generation, generation);
                workers.stop(h, ControlMessage.StopMode.REPLACED, now);
            } else if (h.serving() && keepOld > 0) {
                keepOld--;  // serves until a ready worker of the current generation takes its place
            } else if (h.serving()) {
                workers.stop(h, ControlMessage.StopMode.REPLACED, now);
            }
        }
        if (ready >= desired && old.stream().allMatch(h -> h.state == WorkerHandle.State.STOPPING)) {
            if (!announcedReady) {
                announcedReady = true;
                log.info(Logs.LIFECYCLE, "Serving with {} workers", ready);
                status.send("READY=1\nMAINPID=" + ProcessHandle.current().pid(),
                        status.serving(ready, desired, generation));
                runtime.announceReadyToOldMaster();
                runtime.serving(config, appClass, release);
            } else if (reloading) {
                reloading = false;
                previousConfig = null;
                previousRelease = null;
                status.reloadProblem = null;
                log.info(Logs.LIFECYCLE, "Reload done: generation {} serving with {} workers from {}", generation,
                        ready, release);
                status.send("READY=1", status.serving(ready, desired, generation));
                runtime.serving(config, appClass, release);
            }
        }
        if (announcedReady && !reloading) {
            status.update(status.serving(workers.where(WorkerHandle::serving).size(), desired, generation));
        }
    }

    /** One worker JVM per core is the right start; more only add memory and JIT work (docs/deployment.md). */
    private static void warnAboutWorkerCount(int workers) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (workers > cores) {
            log.warn(Logs.LIFECYCLE, "-w {} is more than the {} CPU cores this process may use: each worker is a "
                    + "JVM of about 100 MB, and one per core is the right start (--threads for more event loops)",
                    workers, cores);
        }
    }

    private void finishStopping(long now) {
        if (workers.isEmpty()) {
            throw new MasterHalt(quickStop ? "Stopped now" : "Shutting down: Master", ExitCode.OK);
        }
        if (now > stopDeadline + DUMP_GRACE_NANOS) {
            for (WorkerHandle handle : workers.all()) {
                if (!handle.killed) {
                    log.warn("{} did not finish within --graceful-timeout; killing it", handle);
                    workers.kill(handle);
                }
            }
        }
    }
}
