package io.corral.master;

import io.corral.config.Config;
import java.io.IOException;

/**
 * Starts workers: worker JVMs in production ({@link JvmWorkers}), fakes in the supervisor's tests. A started
 * worker's exit comes back to the master as a {@link MasterEvent.WorkerExited}, its words as
 * {@link MasterEvent.WorkerSaid}.
 */
interface WorkerProcesses {
    /** Starts worker {@code id} of {@code generation}, running {@code release}. */
    WorkerProcess start(int id, int generation, Config config, Release release, String appClass) throws IOException;
}
