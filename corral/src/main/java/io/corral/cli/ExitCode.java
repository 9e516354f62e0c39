package io.corral.cli;

/** The process exit codes, shared with Gunicorn where the meaning is the same. */
public enum ExitCode {
    OK(0),
    /** Anything else that stopped the server, such as an address already in use. */
    ERROR(1),
    /** A bad command line or setting. */
    USAGE(2),
    /** Workers kept failing to boot (Gunicorn's WORKER_BOOT_ERROR). */
    WORKER_BOOT_ERROR(3),
    /** The app class could not be loaded or started (Gunicorn's APP_LOAD_ERROR). */
    APP_LOAD_ERROR(4);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
