package io.corral.master;

import io.corral.config.Config;
import io.corral.control.ControlMessage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/**
 * The master's record of one worker process. Touched by the master loop only, except {@link #dumping}, which the
 * output pump reads to route a thread dump into the error log.
 */
final class WorkerHandle {
    enum State { BOOTING, READY, STOPPING }

    final int id;
    /** Changes only when a failed reload hands the surviving workers a fresh generation number. */
    int generation;
    final Config config;
    /** The code this worker runs: its generation's, resolved when the generation began. */
    final Release release;
    final Process process;
    final long pid;
    final long spawnedAt;
    /** Requests plus WebSocket sessions after which this worker is replaced (0: never). */
    final long maxServed;

    State state = State.BOOTING;
    Channel channel;
    long lastHeartbeat;
    long served;
    /** Replaced by --max-requests or TTOU: counts as old until it is stopped. */
    boolean retiring;
    long stopSentAt;
    long abortedAt;
    boolean killed;
    String bootFailure;
    volatile boolean dumping;
    /** The last line the worker wrote to stderr: why it died, when it could not say so over the control channel. */
    volatile String lastWords;

    WorkerHandle(int id, int generation, Config config, Release release, Process process, long spawnedAt,
                 long maxServed) {
        this.id = id;
        this.generation = generation;
        this.config = config;
        this.release = release;
        this.process = process;
        this.pid = process.pid();
        this.spawnedAt = spawnedAt;
        this.lastHeartbeat = spawnedAt;
        this.maxServed = maxServed;
    }

    void send(ControlMessage message) {
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(message).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }
    }

    /** "worker 3 (pid 4121)": how every log line names a worker. */
    @Override
    public String toString() {
        return "worker " + id + " (pid " + pid + ")";
    }
}
