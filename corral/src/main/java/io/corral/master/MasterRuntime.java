package io.corral.master;

import io.corral.cli.ExitCode;
import io.corral.config.Config;
import io.corral.control.ControlMessage;
import io.netty.channel.Channel;
import java.io.IOException;
import java.util.List;

/**
 * What the master's decisions need of the process they run in: sockets, logs, the pidfile, systemd, releases and
 * the binary upgrade. {@link ProcessRuntime} in production; the supervisor's tests give {@link Master} a fake, so
 * its loop runs without sockets, JVMs or signals. Master loop only.
 */
interface MasterRuntime {
    /** Opens the logs, sockets, control server and pidfile, and gives {@code workers} their launcher. */
    void start(Config config, String appClass, Workers workers) throws IOException;

    /** The workers' code as {@code config} names it now, resolved and pinned for a new generation. */
    Release resolveRelease(Config config) throws IOException;

    /** A HUP re-read the configuration: apply what the runtime can (output capture), warn about the rest. */
    void reconfigure(Config running, Config reread);

    /**
     * The current generation, of {@code release}, serves in full (the first start, or a reload done): background
     * work for it may begin, such as making its workers' AOT cache.
     */
    void serving(Config config, String appClass, Release release);

    /** Kills what is left, closes everything, says why; returns the exit code. */
    ExitCode shutdown(MasterHalt halt, Workers workers);

    void notifySystemd(String state);

    /** How many worker processes there are, every turn of the loop: Gunicorn's {@code gunicorn.workers} gauge. */
    default void workerCount(int workers, long now) {
    }

    /** WATCHDOG=1 when due; called every turn of the loop. */
    void watchdog(long now);

    void reopenLogs();

    List<String> socketKinds();

    /** USR2: starts a new master on our sockets, unless one is starting already. */
    void beginUpgrade(Workers workers);

    void onNewMasterConnected(Channel channel);

    void onNewMasterSaid(ControlMessage message);

    void onNewMasterExited(Workers workers, MasterEvent.NewMasterExited exited);

    /** For a master started by USR2: tell the old master that this one serves, once. */
    void announceReadyToOldMaster();
}
