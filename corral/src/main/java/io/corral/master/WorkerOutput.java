package io.corral.master;

import io.corral.logging.Logs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where workers' output goes. Their stderr carries their own error-log lines (already formatted, with their pid), so
 * it always goes into the error log. Their stdout (what the app prints) goes there with {@code --capture-output}, to
 * the master's stdout otherwise; a thread dump asked for by SIGQUIT goes to the error log either way.
 */
final class WorkerOutput {
    private static final Logger errorLog = LoggerFactory.getLogger(Logs.PASSTHROUGH);
    private volatile boolean capture;

    void capture(boolean capture) {
        this.capture = capture;
    }

    void attach(WorkerHandle handle) {
        OutputPump.start(handle.process.getErrorStream(), "worker-" + handle.id + "-stderr", line -> {
            handle.lastWords = line;
            errorLog.info(line);
        });
        OutputPump.start(handle.process.getInputStream(), "worker-" + handle.id + "-stdout", line -> {
            if (capture || handle.dumping) {
                errorLog.info(line);
            } else {
                synchronized (System.out) {
                    System.out.println(line);
                }
            }
        });
    }
}
