package io.corral.master;

import io.corral.cli.ExitCode;
import io.corral.config.CliSpec;
import io.corral.config.Config;
import io.corral.control.ControlMessage;
import io.netty.channel.Channel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Master} with everything outside it faked, as Gunicorn's {@code test_arbiter.py} fakes its workers: worker
 * processes that only record what they are told, a runtime that records what systemd would hear, and a clock the
 * test moves. The test plays the operating system: it delivers the events (signals, a worker's Ready, its exit) and
 * calls {@link #tick()} as the loop would.
 */
final class FakeWorld {
    /** A worker as the fake OS sees it: what the master asked of it. */
    static final class Worker implements WorkerProcess {
        final int id;
        final long pid;
        ControlMessage.StopMode stopAsked;
        boolean killed;
        boolean dumped;
        boolean exited;

        Worker(int id) {
            this.id = id;
            this.pid = 10_000 + id;
        }

        /** Told to stop or killed: it will exit when the test lets it. */
        boolean leaving() {
            return stopAsked != null || killed;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public void connected(Channel channel) {
        }

        @Override
        public boolean send(ControlMessage message) {
            if (message instanceof ControlMessage.Stop stop) {
                stopAsked = stop.how();
            }
            return true;
        }

        @Override
        public void signal(int signal) {
            switch (signal) {
                case Posix.SIGKILL -> killed = true;
                case Posix.SIGQUIT -> dumped = true;
                case Posix.SIGTERM -> stopAsked = ControlMessage.StopMode.GRACEFUL;
                default -> throw new AssertionError("signal " + signal);
            }
        }

        @Override
        public void dumpToErrorLog() {
        }

        @Override
        public String lastWords() {
            return null;
        }

        @Override
        public void awaitExit(Duration timeout) {
        }
    }

    /** Records what the master tells systemd and how it stopped; the workers' release is a directory. */
    private final class Runtime implements MasterRuntime {
        @Override
        public void start(Config config, String appClass, Workers table) {
            table.processes((id, generation, workerConfig, release, app) -> {
                var worker = new Worker(id);
                started.put(id, worker);
                return worker;
            });
        }

        @Override
        public Release resolveRelease(Config config) throws IOException {
            return Release.resolve(classes.toString(), null, classes, classes.resolve("copies"), path -> { });
        }

        @Override
        public void reconfigure(Config running, Config reread) {
        }

        @Override
        public ExitCode shutdown(MasterHalt halt, Workers table) {
            return halt.exitCode();
        }

        @Override
        public void notifySystemd(String state) {
            systemd.add(state);
        }

        @Override
        public void watchdog(long now) {
        }

        @Override
        public void reopenLogs() {
        }

        @Override
        public List<String> socketKinds() {
            return List.of("tcp");
        }

        @Override
        public void beginUpgrade(Workers table) {
        }

        @Override
        public void onNewMasterConnected(Channel channel) {
        }

        @Override
        public void onNewMasterSaid(ControlMessage message) {
        }

        @Override
        public void onNewMasterExited(Workers table, MasterEvent.NewMasterExited exited) {
        }

        @Override
        public void announceReadyToOldMaster() {
        }

        @Override
        public void serving(Config config, String appClass, Release release) {
        }
    }

    static final long SECOND = 1_000_000_000L;
    private static Path classes;

    final Map<Integer, Worker> started = new LinkedHashMap<>();
    final List<String> systemd = new ArrayList<>();
    private long now = 1_000 * SECOND;
    final Master master;

    /** A master of {@code -w workers}, started; its workers are spawned at the first {@link #tick()}. */
    FakeWorld(int workers) throws IOException {
        synchronized (FakeWorld.class) {
            if (classes == null) {
                classes = Files.createTempDirectory("fake-world-classes");
                classes.toFile().deleteOnExit();
            }
        }
        CliSpec.Parsed parsed = new CliSpec("test").parse(Map.of(), "-w", Integer.toString(workers), "--timeout",
                "30", "--graceful-timeout", "30", "--classpath", classes.toString(), "FakeApp");
        master = new Master(parsed, () -> parsed, new MasterEvents(), new Runtime(), () -> now);
        master.start();
    }

    long now() {
        return now;
    }

    void advance(long nanos) {
        now += nanos;
    }

    void tick() throws IOException {
        master.tick();
    }

    void signal(String name) throws IOException {
        master.handle(new MasterEvent.SignalReceived(name));
    }

    void say(Worker worker, ControlMessage message) throws IOException {
        master.handle(new MasterEvent.WorkerSaid(worker.id, message));
    }

    void exit(Worker worker, int status) throws IOException {
        worker.exited = true;
        master.handle(new MasterEvent.WorkerExited(worker.id, worker.pid, status));
    }

    /** The master's record of {@code worker}, or null once it was reaped. */
    WorkerHandle handle(Worker worker) {
        return master.workers().get(worker.id);
    }

    List<Worker> alive() {
        return started.values().stream().filter(w -> !w.exited).toList();
    }

    /** Workers the master counts as serving: ready, not stopping, not being killed for a timeout. */
    long serving() {
        return master.workers().where(h -> h.serving() && h.state != WorkerHandle.State.STOPPING).size();
    }

    String lastStatus() {
        for (int i = systemd.size() - 1; i >= 0; i--) {
            for (String line : systemd.get(i).split("\n")) {
                if (line.startsWith("STATUS=")) {
                    return line.substring("STATUS=".length());
                }
            }
        }
        return null;
    }
}
