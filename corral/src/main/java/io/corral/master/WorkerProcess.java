package io.corral.master;

import io.corral.control.ControlMessage;
import io.netty.channel.Channel;
import java.time.Duration;

/**
 * One worker as the operating system sees it: a pid, a control channel once it has called home, signals, and its
 * output. The master's decisions reach a worker only through this, so its tests run them against fakes. Master
 * loop only, except where a method says otherwise.
 */
interface WorkerProcess {
    long pid();

    /** The worker's control channel, once it connected. */
    void connected(Channel channel);

    /** Sends {@code message} over the control channel; false (and nothing sent) before it connected or once lost. */
    boolean send(ControlMessage message);

    /** Sends a signal (Posix numbering); nothing if the process is gone. */
    void signal(int signal);

    /** Its stdout goes to the error log from now on, whatever --capture-output says: a thread dump is coming. */
    void dumpToErrorLog();

    /** The last line of its stderr that can say why it died, or null. */
    String lastWords();

    /** It belongs to {@code generation} now (a failed reload renumbers): what its relayed log lines say. */
    default void generation(int generation) {
    }

    /** Waits up to {@code timeout} for the process to end (at shutdown, after SIGKILL). */
    void awaitExit(Duration timeout);
}
