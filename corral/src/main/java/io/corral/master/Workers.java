package io.corral.master;

import io.corral.config.Config;
import io.corral.config.WorkerSettings;
import io.corral.control.ControlMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The table of live worker processes and the mechanics of starting and stopping them. Master loop only, except
 * {@link #byPid}, which the control server reads to admit a connecting worker.
 */
final class Workers {
    private static final Logger log = LoggerFactory.getLogger(Workers.class);

    private final Map<Integer, WorkerHandle> table = new LinkedHashMap<>();
    private final Map<Long, Integer> byPid = new ConcurrentHashMap<>();
    private WorkerProcesses processes;
    private int nextId = 1;

    /** Where workers come from: set once the control socket they call home to exists. */
    void processes(WorkerProcesses processes) {
        this.processes = processes;
    }

    Map<Long, Integer> byPid() {
        return byPid;
    }

    /** Starts one worker of {@code generation}, running {@code release}; its exit will arrive as an event. */
    WorkerHandle spawn(int generation, Config config, Release release, String appClass, long now)
            throws IOException {
        int id = nextId++;
        WorkerProcess process = processes.start(id, generation, config, release, appClass);
        int max = config.get(WorkerSettings.MAX_REQUESTS);
        int jitter = config.get(WorkerSettings.MAX_REQUESTS_JITTER);
        long maxServed = max == 0 ? 0 : max + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextInt(jitter + 1));
        var handle = new WorkerHandle(id, generation, config, release, process, now, maxServed);
        table.put(id, handle);
        byPid.put(handle.pid, id);
        log.info("Booting {} (generation {}, {})", handle, generation, release);
        return handle;
    }

    /** Lets a process that is not a worker (a new master, id 0) collect the sockets on the control socket. */
    void admit(long pid, int id) {
        byPid.put(pid, id);
    }

    /**
     * Asks a worker to stop, over its control channel, or by signal before it has one (TERM for a graceful stop,
     * KILL for one now).
     */
    void stop(WorkerHandle handle, ControlMessage.StopMode how, long now) {
        if (handle.state == WorkerHandle.State.STOPPING) {
            return;
        }
        handle.state = WorkerHandle.State.STOPPING;
        handle.stopSentAt = now;
        if (!handle.process.send(new ControlMessage.Stop(how))) {
            handle.process.signal(how == ControlMessage.StopMode.NOW ? Posix.SIGKILL : Posix.SIGTERM);
        }
    }

    void kill(WorkerHandle handle) {
        if (!handle.killed) {
            handle.killed = true;
            handle.process.signal(Posix.SIGKILL);
        }
    }

    void reassign(WorkerHandle handle, int generation) {
        handle.generation = generation;
        handle.process.generation(generation);
    }

    WorkerHandle get(int id) {
        return table.get(id);
    }

    WorkerHandle remove(int id) {
        WorkerHandle handle = table.remove(id);
        if (handle != null) {
            byPid.remove(handle.pid);
        }
        byPid.values().remove(id);  // an admitted process (id 0) has no handle
        return handle;
    }

    Collection<WorkerHandle> all() {
        return table.values();
    }

    List<WorkerHandle> where(Predicate<WorkerHandle> condition) {
        var found = new ArrayList<WorkerHandle>();
        for (WorkerHandle handle : table.values()) {
            if (condition.test(handle)) {
                found.add(handle);
            }
        }
        found.sort(Comparator.comparingInt(h -> h.id));
        return found;
    }

    boolean isEmpty() {
        return table.isEmpty();
    }

    void sendAll(ControlMessage message) {
        table.values().forEach(h -> h.send(message));
    }
}
