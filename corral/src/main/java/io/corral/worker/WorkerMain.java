package io.corral.worker;

import io.corral.app.App;
import io.corral.broker.WorkerBroker;
import io.corral.cli.ExitCode;
import io.corral.config.BrokerSettings;
import io.corral.config.Config;
import io.corral.config.LoggingSettings;
import io.corral.config.WorkerSettings;
import io.corral.control.ControlClient;
import io.corral.control.ControlMessage;
import io.corral.logging.Logs;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * A worker process, as the master starts it: call home, take the sockets and the settings, load and start the app,
 * serve, heartbeat, and stop when told. Its log lines go to stderr, which the master writes into the error log.
 * The main thread runs the lifecycle; it waits on {@link Command}s from the control channel and from signals.
 */
public final class WorkerMain {
    private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

    /** What the main thread waits for once the worker serves. */
    private enum Command { STOP_GRACEFULLY, STOP_FOR_REPLACEMENT, STOP_NOW, REOPEN_LOGS, MASTER_GONE }

    private WorkerMain() {
    }

    public static void main(String[] args) {
        var boot = new BootPhases(BootPhases.sinceProcessStart(), System::nanoTime);
        System.setProperty("PID", Long.toString(ProcessHandle.current().pid()));
        Logs.errorLogToStderr("info");
        boot.mark("logging");
        try {
            java.nio.file.Files.writeString(Path.of("/proc/self/comm"), "corral-worker");  // for top and ps -o comm
        } catch (java.io.IOException | UnsupportedOperationException ignored) {
            // only cosmetic
        }
        System.exit(run(boot).code());
    }

    private static ExitCode run(BootPhases boot) {
        int id = Integer.parseInt(System.getenv("CORRAL_WORKER_ID"));
        var commands = new LinkedBlockingQueue<Command>();
        EventLoopGroup controlLoop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        boot.mark("netty");
        ControlClient control;
        try {
            control = ControlClient.connect(Path.of(System.getenv("CORRAL_CONTROL")), id,
                    Integer.parseInt(System.getenv("CORRAL_SOCKETS")), controlLoop, message -> {
                        switch (message) {
                            case ControlMessage.Stop stop -> commands.add(switch (stop.how()) {
                                case GRACEFUL -> Command.STOP_GRACEFULLY;
                                case REPLACED -> Command.STOP_FOR_REPLACEMENT;
                                case NOW -> Command.STOP_NOW;
                            });
                            case ControlMessage.ReopenLogs reopen -> commands.add(Command.REOPEN_LOGS);
                            default -> log.warn("unexpected {} from the master", message.getClass().getSimpleName());
                        }
                    });
        } catch (Exception e) {
            log.error("Worker {} cannot reach its master: {}", id, e.toString());
            return ExitCode.WORKER_BOOT_ERROR;
        }
        boot.mark("control");
        ControlMessage.Configure configure = control.configure();
        Config config = Config.fromExplicitValues(configure.settings());
        Logs.identify(id);
        // The master's format, which a HUP does not change (its lines and ours share one file).
        Logs.format(System.getenv().getOrDefault("CORRAL_LOG_FORMAT", config.get(LoggingSettings.LOG_FORMAT)));
        Logs.errorLogToStderr(config.get(LoggingSettings.LOG_LEVEL));
        try {
            Logs.accessLog(config.get(LoggingSettings.ACCESS_LOGFILE));
        } catch (java.io.IOException e) {
            log.error("Worker failed to boot: {}", e.getMessage());
            control.sendAndWait(new ControlMessage.BootFailed(ExitCode.WORKER_BOOT_ERROR.code(), e.getMessage()));
            return ExitCode.WORKER_BOOT_ERROR;
        }

        boot.mark("settings and logs");
        Worker worker;
        try {
            App app = AppLoader.load(configure.appClass());
            boot.mark("app load");
            WorkerBroker broker = WorkerBroker.open(config.get(BrokerSettings.BROKER));
            broker.attachToMaster(control.channel());
            boot.mark("broker");
            worker = Worker.boot(config, app, broker, boot);
        } catch (AppLoadException e) {
            log.error("App failed to load: {}", e.getMessage());
            control.sendAndWait(new ControlMessage.BootFailed(ExitCode.APP_LOAD_ERROR.code(), e.getMessage()));
            return ExitCode.APP_LOAD_ERROR;
        }
        // A quarter of --timeout, which also bounds the whole boot: a warm-up is worth less than a worker.
        var budget = Duration.ofMillis((long) (config.get(WorkerSettings.TIMEOUT) * 250));
        int warmedUp = worker.server().warmUp(config.get(WorkerSettings.WORKER_WARM_UP), budget);
        boot.mark("warm-up");
        if (warmedUp > 0) {
            log.debug("Worker warmed up with {} requests of its own", warmedUp);
        }
        if (commands.stream().anyMatch(command -> command != Command.REOPEN_LOGS)) {
            // Told to stop while it booted (superseded by a newer reload): it never takes the sockets.
            log.info("Worker {} exiting before it served (pid: {})", id, ProcessHandle.current().pid());
            worker.close();
            return ExitCode.OK;
        }
        try {
            worker.adopt(control.fds(), configure.socketKinds());
        } catch (Exception e) {
            log.error("Worker failed to boot: cannot serve the sockets: {}", e.toString());
            control.sendAndWait(new ControlMessage.BootFailed(ExitCode.WORKER_BOOT_ERROR.code(), e.toString()));
            return ExitCode.WORKER_BOOT_ERROR;
        }
        control.closeFuture().addListener(f -> commands.add(Command.MASTER_GONE));
        installSignals(commands);
        boot.mark("sockets");
        log.debug(boot.summary());
        control.send(new ControlMessage.Ready());
        try (var heartbeat = new Heartbeat(worker.server().loops(), control, worker.server()::served)) {
            return serve(worker, config, commands);
        } finally {
            controlLoop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static ExitCode serve(Worker worker, Config config, BlockingQueue<Command> commands) {
        try {
            while (true) {
                Command command = commands.take();
                switch (command) {
                    case REOPEN_LOGS -> Logs.reopen().forEach(log::warn);
                    case STOP_GRACEFULLY, STOP_FOR_REPLACEMENT -> {
                        log.info("Worker exiting (pid: {})", ProcessHandle.current().pid());
                        worker.drain(Duration.ofMillis((long) (config.get(WorkerSettings.GRACEFUL_TIMEOUT) * 1000)),
                                command == Command.STOP_FOR_REPLACEMENT);
                        worker.close();
                        return ExitCode.OK;
                    }
                    case STOP_NOW -> {
                        worker.close();
                        return ExitCode.OK;
                    }
                    case MASTER_GONE -> {
                        log.warn("Worker {} lost its master; exiting", ProcessHandle.current().pid());
                        worker.close();
                        return ExitCode.OK;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.close();
            return ExitCode.ERROR;
        }
    }

    /**
     * TERM (systemd signals every process of the unit) drains like the master's stop request; INT (Ctrl+C reaches the
     * whole process group) stops now. The master's other signals mean nothing here: it relays what matters.
     */
    private static void installSignals(BlockingQueue<Command> commands) {
        Signal.handle(new Signal("TERM"), s -> commands.add(Command.STOP_GRACEFULLY));
        Signal.handle(new Signal("INT"), s -> commands.add(Command.STOP_NOW));
        for (String name : new String[] {"HUP", "USR1", "USR2", "TTIN", "TTOU", "WINCH"}) {
            Signal.handle(new Signal(name), SignalHandler.SIG_IGN);
        }
    }
}
