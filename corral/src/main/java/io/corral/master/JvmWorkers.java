package io.corral.master;

import io.corral.config.Config;
import io.corral.control.ControlMessage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Workers as JVM processes: started by {@link WorkerLauncher}, their output copied by {@link WorkerOutput}, their
 * exit turned into an event for the master loop.
 */
final class JvmWorkers implements WorkerProcesses {
    private final WorkerLauncher launcher;
    private final WorkerOutput output;
    private final MasterEvents events;

    JvmWorkers(WorkerLauncher launcher, WorkerOutput output, MasterEvents events) {
        this.launcher = launcher;
        this.output = output;
        this.events = events;
    }

    @Override
    public WorkerProcess start(int id, int generation, Config config, Release release, String appClass)
            throws IOException {
        Process process = launcher.launch(id, config, appClass, release);
        var worker = new JvmWorker(process, generation);
        output.attach(id, worker);
        long pid = process.pid();
        process.onExit().thenAccept(p -> events.add(new MasterEvent.WorkerExited(id, pid, p.exitValue())));
        return worker;
    }

    /** One worker JVM. {@link #dumping} and {@link #lastWords} are shared with its output pumps. */
    static final class JvmWorker implements WorkerProcess {
        final Process process;
        private Channel channel;
        volatile boolean dumping;
        volatile String lastWords;
        volatile int generation;

        JvmWorker(Process process, int generation) {
            this.process = process;
            this.generation = generation;
        }

        @Override
        public void generation(int generation) {
            this.generation = generation;
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public void connected(Channel control) {
            channel = control;
        }

        @Override
        public boolean send(ControlMessage message) {
            if (channel == null || !channel.isActive()) {
                return false;
            }
            channel.writeAndFlush(message).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
            return true;
        }

        @Override
        public void signal(int signal) {
            Posix.kill(process.pid(), signal);
        }

        @Override
        public void dumpToErrorLog() {
            dumping = true;
        }

        @Override
        public String lastWords() {
            return lastWords;
        }

        @Override
        public void awaitExit(Duration timeout) {
            process.onExit().completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS).join();
        }
    }
}
