package io.corral.master;

import io.corral.logging.Logs;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where workers' output goes. Their stderr carries their own error-log lines (already formatted, with their pid), so
 * it always goes into the error log. Their stdout (what the app prints) goes there with {@code --capture-output}, to
 * the master's stdout otherwise; a thread dump asked for by SIGQUIT goes to the error log either way.
 */
final class WorkerOutput {
    private static final Logger errorLog = LoggerFactory.getLogger(Logs.PASSTHROUGH);
    /** A stack trace's frames and "... 4 more": what a dying JVM prints last, and what says nothing of why. */
    private static final Pattern STACK_FRAME = Pattern.compile("^\\s+(at |\\.\\.\\. \\d+ more)|^\\s*$");
    private volatile boolean capture;

    void capture(boolean capture) {
        this.capture = capture;
    }

    /**
     * One line of a worker's into the error log: written as it is in text, and as JSON with the worker's ids
     * ({@code --log-format json}: what the error log's layout does with these pairs).
     */
    private static void relay(String line, int id, long pid, int generation, String stream) {
        errorLog.atInfo().addKeyValue("worker", id).addKeyValue("workerPid", pid)
                .addKeyValue("generation", generation).addKeyValue("stream", stream).log(line);
    }

    /**
     * Whether a worker's stderr line can say why it died: the last such line is a trace's deepest "Caused by:"
     * or the JVM's own "Error: Could not find or load main class", not the frames after it.
     */
    static boolean saysWhy(String line) {
        return !STACK_FRAME.matcher(line).find();
    }

    void attach(int id, JvmWorkers.JvmWorker worker) {
        long pid = worker.process.pid();
        OutputPump.start(worker.process.getErrorStream(), "worker-" + id + "-stderr", line -> {
            if (saysWhy(line)) {
                worker.lastWords = line;
            }
            relay(line, id, pid, worker.generation, "stderr");
        });
        OutputPump.start(worker.process.getInputStream(), "worker-" + id + "-stdout", line -> {
            if (capture || worker.dumping) {
                relay(line, id, pid, worker.generation, "stdout");
            } else {
                synchronized (System.out) {
                    System.out.println(line);
                }
            }
        });
    }
}
