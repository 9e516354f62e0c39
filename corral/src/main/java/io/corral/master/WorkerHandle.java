package io.corral.master;

import io.corral.config.Config;
import io.corral.control.ControlMessage;

/** The master's record of one worker: what it runs, where it is in its life, and its process. Master loop only. */
final class WorkerHandle {
    enum State { BOOTING, READY, STOPPING }

    final int id;
    /** Changes only when a failed reload hands the surviving workers a fresh generation number. */
    int generation;
    final Config config;
    /** The code this worker runs: its generation's, resolved when the generation began. */
    final Release release;
    final WorkerProcess process;
    final long pid;
    final long spawnedAt;
    /** Requests plus WebSocket sessions after which this worker is replaced (0: never). */
    final long maxServed;

    State state = State.BOOTING;
    long lastHeartbeat;
    long served;
    /** Replaced (--max-requests, TTOU, a failed reload's ready workers): counts as old until it is stopped. */
    boolean retiring;
    long stopSentAt;
    long abortedAt;
    boolean killed;
    String bootFailure;

    WorkerHandle(int id, int generation, Config config, Release release, WorkerProcess process, long spawnedAt,
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

    /** Ready and not on its way out: it answers requests and counts toward the workers wanted. */
    boolean serving() {
        return state == State.READY && abortedAt == 0;
    }

    void send(ControlMessage message) {
        process.send(message);
    }

    /** "worker 3 (pid 4121)": how every log line names a worker. */
    @Override
    public String toString() {
        return "worker " + id + " (pid " + pid + ")";
    }
}
