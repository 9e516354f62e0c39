package io.corral.master;

import io.corral.cli.ExitCode;

/** Leaves the master's loop: why, and with which exit code. Thrown on the master loop only, caught once. */
final class MasterHalt extends RuntimeException {
    private final ExitCode exitCode;

    MasterHalt(String reason, ExitCode exitCode) {
        super(reason, null, false, false);
        this.exitCode = exitCode;
    }

    ExitCode exitCode() {
        return exitCode;
    }
}
