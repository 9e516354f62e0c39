package io.corral.master;

/**
 * The STATUS= line systemd shows ({@code systemctl status}), kept true as workers come and go: recomputed every
 * turn of the loop from the ready count and sent only when it changes, with the last failed reload and a worker
 * that fails to boot named in it until they are mended. Master loop only.
 */
final class ServiceStatus {
    private final MasterRuntime runtime;
    private String sent = "";
    /** Why the last reload failed, until one succeeds. */
    String reloadProblem;
    /** Why replacements fail to boot, until one is ready. */
    String bootProblem;

    ServiceStatus(MasterRuntime runtime) {
        this.runtime = runtime;
    }

    /** "Serving with 1 of 2 workers (generation 3); a worker fails to boot: ...". */
    String serving(long ready, int desired, int generation) {
        String text = desired == 0 ? "No workers (WINCH): TTIN or HUP to serve again"
                : "Serving with " + (ready == desired ? ready : ready + " of " + desired) + " workers"
                        + (generation > 1 ? " (generation " + generation + ")" : "");
        if (reloadProblem != null) {
            text += "; the last reload failed: " + reloadProblem;
        }
        return bootProblem == null ? text : text + "; a worker fails to boot: " + bootProblem;
    }

    /** Sends {@code state} (READY=1, RELOADING=1 ...) with STATUS={@code text}. */
    void send(String state, String text) {
        sent = text;
        runtime.notifySystemd(state + "\nSTATUS=" + text);
    }

    /** Sends STATUS={@code text} alone, unless it is what systemd shows already. */
    void update(String text) {
        if (!text.equals(sent)) {
            sent = text;
            runtime.notifySystemd("STATUS=" + text);
        }
    }
}
