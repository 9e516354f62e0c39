package io.corral.master;

import io.corral.cli.ExitCode;
import io.corral.cli.Main;
import io.corral.config.AppSettings;
import io.corral.config.Config;
import io.corral.config.LoggingSettings;
import io.corral.config.ProcessSettings;
import io.corral.config.ServerSocketSettings;
import io.corral.config.Setting;
import io.corral.logging.FileErrors;
import io.corral.logging.Logs;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master process's runtime: the sockets, the control server, the pidfile, the signal handlers, the systemd
 * connection and the worker JVMs' launcher; how they are opened at start and released at the end. Master loop only.
 */
final class ProcessRuntime implements MasterRuntime {
    private static final Logger log = LoggerFactory.getLogger(ProcessRuntime.class);
    /** Settings a running master cannot change on HUP: named in a warning, not silently ignored. */
    private static final List<Setting<?>> FIXED = List.of(ServerSocketSettings.BIND, ServerSocketSettings.BACKLOG,
            ProcessSettings.PID, ProcessSettings.UMASK, LoggingSettings.ERROR_LOGFILE, LoggingSettings.LOG_FORMAT,
            ProcessSettings.CONFIG);

    private final MasterEvents events;
    private final WorkerOutput output = new WorkerOutput();
    private final SystemdNotify systemd = SystemdNotify.fromEnvironment();
    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final BinaryUpgrade upgrade;
    private ListenSockets sockets;
    private ControlServer control;
    /** When this master was started by an old one's USR2: the line to tell it we serve. */
    private io.corral.control.ControlClient oldMaster;
    private Path controlSocket;
    private Path controlDir;
    private PidFile pidFile;
    private WorkerLauncher launcher;
    private WorkerAotCache aot;
    private int releasesResolved;
    private long watchdogInterval;
    private io.corral.metrics.Statsd statsd;
    private int lastWorkerCount = -1;
    private long lastWorkerGauge;
    private long lastWatchdog;

    ProcessRuntime(MasterEvents events, BinaryUpgrade upgrade) {
        this.events = events;
        this.upgrade = upgrade;
    }

    @Override
    public void start(Config config, String appClass, Workers workers) throws IOException {
        Logs.format(config.get(LoggingSettings.LOG_FORMAT));
        Logs.errorLog(config.get(LoggingSettings.ERROR_LOGFILE), config.get(LoggingSettings.LOG_LEVEL));
        try {
            Logs.checkWritable(config.get(LoggingSettings.ACCESS_LOGFILE));  // workers open it; say so now
        } catch (IOException e) {
            throw new IOException("cannot open the access log " + FileErrors.why(e), e);
        }
        output.capture(config.get(LoggingSettings.CAPTURE_OUTPUT));
        statsd = io.corral.metrics.Statsd.from(config);
        Integer umask = config.get(ProcessSettings.UMASK);
        if (umask != null) {
            Posix.umask(umask);
        }
        log.info(Logs.LIFECYCLE, "Starting corral {} ({})", Main.version(),
                WorkerLauncher.processName(config, appClass, "master"));
        setProcessName("corral-master");
        openEveryJar();
        if (BinaryUpgrade.isNewMaster(System.getenv())) {
            oldMaster = BinaryUpgrade.inherit(System.getenv(), loop);
            sockets = ListenSockets.inherited(oldMaster.fds(), oldMaster.configure().socketKinds());
        } else {
            sockets = ListenSockets.open(config, loop, System.getenv());
        }
        for (ListenSockets.Listener listener : sockets.listeners()) {
            log.info(Logs.LIFECYCLE, "Listening at: {} ({})", listener.description(), ProcessHandle.current().pid());
        }
        controlDir = Files.createTempDirectory("corral-" + ProcessHandle.current().pid() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path socket = controlDir.resolve("control.sock");
        controlSocket = socket;
        control = new ControlServer(socket, loop, sockets.fds(), workers.byPid(), events);
        // Netty unpacks its native transport into a temp dir: the workers' own, not a shared /tmp their user may
        // not be able to write (or should not share).
        Path nativeDir = Files.createDirectory(controlDir.resolve("native"));
        // Where the workers' AOT cache goes when nothing else is writable by their user (WorkerAotCache.directory):
        // made now, before any process of that user runs, so it cannot be a link of theirs.
        Path aotDir = Files.createDirectory(controlDir.resolve("aot"));
        shareWithWorkerUser(config, controlDir, socket, nativeDir, aotDir);
        aot = new WorkerAotCache(System.getenv(), controlDir, this::shareWithWorkerUser);
        launcher = new WorkerLauncher(socket, sockets.fds().size(), nativeDir, aot);
        workers.processes(new JvmWorkers(launcher, output, events));
        String pid = config.get(ProcessSettings.PID);
        if (pid != null) {
            pidFile = new PidFile(Path.of(pid));
            if (oldMaster == null) {
                pidFile.write();  // a new master of a USR2 takes the pidfile only once it serves
            }
        }
        List<String> ignored = Signals.install(events);
        if (!ignored.isEmpty()) {
            log.warn("Signals {} were ignored when Corral started (nohup?), so they will not work: run it without "
                    + "nohup, under systemd or in the foreground", ignored);
        }
        String watchdog = System.getenv("WATCHDOG_USEC");
        String watchdogPid = System.getenv("WATCHDOG_PID");
        if (watchdog != null && (watchdogPid == null
                || watchdogPid.equals(Long.toString(ProcessHandle.current().pid())))) {
            watchdogInterval = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(watchdog)) / 2;
        }
        notifySystemd("STATUS=Starting workers");
    }

    /**
     * The JVM opens a jar of its classpath only when it first looks for a class in it: a class this master needs
     * later (a USR2, a rare error) would then be read from whatever the path holds by then, or from nowhere if
     * the release directory was deleted. Looking up a resource no jar has opens all of them now, and an open jar
     * stays readable whatever happens to its path.
     */
    private static void openEveryJar() {
        ClassLoader.getSystemClassLoader().getResource("io/corral/master/no-such-resource");
    }

    /** With --user, the worker user must reach the control socket (the directory is ours alone otherwise). */
    private void shareWithWorkerUser(Config config, Path... paths) throws IOException {
        String user = config.get(ProcessSettings.USER);
        if (user == null) {
            return;
        }
        var owner = controlDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
        for (Path path : paths) {  // the link itself, never what a link (swapped in by that user) leads to
            Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).setOwner(owner);
        }
    }

    /**
     * The workers' code as {@code config} names it now ({@link AppSettings#workerClasspath}), resolved and pinned
     * for a new generation; its copies, if the release is deleted while it runs, go into the control directory.
     */
    @Override
    public Release resolveRelease(Config config) throws IOException {
        String chdir = config.get(ProcessSettings.CHDIR);
        Path base = (chdir != null ? Path.of(chdir) : Path.of("")).toAbsolutePath();
        Path copies = controlDir.resolve("release-" + ++releasesResolved);
        return Release.resolve(AppSettings.workerClasspath(config), config.get(AppSettings.WORKER_AOT_CACHE), base,
                copies, path -> shareWithWorkerUser(config, path));
    }

    /** The generation of {@code release} serves: make its workers' AOT cache now, if it has none. */
    @Override
    public void serving(Config config, String appClass, Release release) {
        if (aot != null) {
            aot.trainFor(config, appClass, release, launcher);
        }
    }

    @Override
    public ExitCode shutdown(MasterHalt halt, Workers workers) {
        if (halt.exitCode() == ExitCode.OK) {
            log.info(Logs.LIFECYCLE, "{}", halt.getMessage());
        } else {
            log.error("{}", halt.getMessage());
        }
        notifySystemd("STOPPING=1\nSTATUS=" + halt.getMessage());
        for (WorkerHandle handle : List.copyOf(workers.all())) {
            workers.kill(handle);
            handle.process.awaitExit(java.time.Duration.ofSeconds(5));
        }
        if (aot != null) {
            aot.close();
        }
        if (control != null) {
            control.close();
        }
        if (sockets != null && !upgrade.handedOver()) {
            sockets.close();
        }
        deleteControlDir();
        if (pidFile != null) {
            pidFile.remove();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        return halt.exitCode();
    }

    private void deleteControlDir() {
        if (controlDir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(controlDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    /** USR2: start a new master on our sockets, unless one is starting already. */
    @Override
    public void beginUpgrade(Workers workers) {
        if (upgrade.inProgress()) {
            log.warn("USR2 ignored: a new master is starting already");
            return;
        }
        try {
            Process child = upgrade.begin(controlSocket, sockets.fds().size(), pidFile, events);
            workers.admit(child.pid(), BinaryUpgrade.NEW_MASTER_ID);
        } catch (IOException e) {
            if (pidFile != null) {
                pidFile.removeOldbin();  // first: whoever reads the line below finds the pidfiles as they stay
            }
            log.error("Binary upgrade failed: cannot start a new master: {}", e.toString());
        }
    }

    /** The new master's control connection and messages (it uses id 0 on our control socket). */
    @Override
    public void onNewMasterConnected(io.netty.channel.Channel channel) {
        upgrade.connected(channel);
    }

    @Override
    public void onNewMasterSaid(io.corral.control.ControlMessage message) {
        switch (message) {
            case io.corral.control.ControlMessage.Hello hello -> upgrade.configure(socketKinds());
            case io.corral.control.ControlMessage.Ready ready -> {
                long pid = upgrade.ready();
                if (pidFile != null) {
                    pidFile.handedOver();
                }
                log.info("Binary upgrade: the new master (pid {}) serves; stop this old master (pid {}) with TERM "
                        + "(or WINCH, then TERM)", pid, ProcessHandle.current().pid());
                notifySystemd("MAINPID=" + pid + "\nSTATUS=Upgraded: new master " + pid + " serving");
            }
            default -> { }
        }
    }

    @Override
    public void onNewMasterExited(Workers workers, MasterEvent.NewMasterExited exited) {
        workers.remove(BinaryUpgrade.NEW_MASTER_ID);  // its admission to the control socket
        if (upgrade.exited()) {
            log.info("The new master (pid {}) {}", exited.pid(), ExitStatus.describe(exited.status()));
        } else {
            if (pidFile != null) {
                pidFile.removeOldbin();  // first: whoever reads the line below finds the pidfiles as they stay
            }
            log.error("Binary upgrade failed: the new master (pid {}) {} before serving; this master serves on",
                    exited.pid(), ExitStatus.describe(exited.status()));
        }
    }

    /** For a master started by USR2: take the pidfile, then tell the old master that this one serves, once. */
    @Override
    public void announceReadyToOldMaster() {
        if (oldMaster != null) {
            if (pidFile != null) {
                try {
                    pidFile.write();
                } catch (IOException e) {
                    log.warn("cannot write the pidfile {}: {}", pidFile.path(), FileErrors.why(e));
                }
            }
            BinaryUpgrade.announceReady(oldMaster);
            oldMaster = null;
        }
    }

    @Override
    public void notifySystemd(String state) {
        systemd.send(state);
    }

    /** WATCHDOG=1 at half the interval systemd asked for; from the loop, so a stuck loop stops it. */
    @Override
    public void watchdog(long now) {
        if (watchdogInterval > 0 && now - lastWatchdog >= watchdogInterval) {
            lastWatchdog = now;
            systemd.send("WATCHDOG=1");
        }
    }

    /** The gauge once a second, and at once when the count changes (a StatsD server keeps the last value). */
    @Override
    public void workerCount(int workers, long now) {
        if (statsd != null && (workers != lastWorkerCount || now - lastWorkerGauge >= 1_000_000_000L)) {
            statsd.gauge("gunicorn.workers", workers);
            lastWorkerCount = workers;
            lastWorkerGauge = now;
        }
    }

    @Override
    public void reopenLogs() {
        List<String> problems = Logs.reopen();
        problems.forEach(log::warn);
        if (problems.isEmpty()) {
            log.info("Reopened the log files");
        }
    }

    @Override
    public List<String> socketKinds() {
        return sockets.kinds();
    }

    @Override
    public void reconfigure(Config running, Config reread) {
        output.capture(reread.get(LoggingSettings.CAPTURE_OUTPUT));
        if (!Objects.equals(statsdOf(running), statsdOf(reread))) {  // as the new generation's workers will
            if (statsd != null) {
                statsd.close();
            }
            statsd = io.corral.metrics.Statsd.from(reread);
            lastWorkerCount = -1;
        }
        for (Setting<?> setting : FIXED) {
            Object before = setting.repeatable() ? running.all(setting) : running.get(setting);
            Object after = setting.repeatable() ? reread.all(setting) : reread.get(setting);
            if (!Objects.equals(before, after)) {
                log.warn("Reload: {} changed from {} to {}, which needs a restart; keeping {}", setting.flag(),
                        before, after, before);
            }
        }
    }

    private static List<Object> statsdOf(Config config) {
        return java.util.Arrays.asList(config.get(LoggingSettings.STATSD_HOST),
                config.get(LoggingSettings.STATSD_PREFIX), config.get(LoggingSettings.DOGSTATSD_TAGS));
    }

    /** The name top and ps -o comm show (15 bytes at most): /proc/self/comm is the thread-group leader's. */
    private static void setProcessName(String name) {
        try {
            Files.writeString(Path.of("/proc/self/comm"), name);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not Linux, or not allowed: only cosmetic
        }
    }
}
