package io.corral.master;

import io.corral.control.ControlClient;
import io.corral.control.ControlMessage;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * USR2, Gunicorn's binary upgrade, for JVMs. The old master starts a new master with the command that started it
 * (bin/corral through the install symlink, so a switched release, a new Java and a re-read configuration take
 * effect), and, since a child JVM inherits no descriptor above 2,
 * passes it the listening sockets over the control socket, exactly as to a worker ({@code SCM_RIGHTS}). Both
 * masters serve the same sockets until the operator stops the old one (TERM, or WINCH then TERM). The old master is
 * {@code PIDFILE.oldbin} too from the start; the new one takes {@code PIDFILE} once it serves ({@link PidFile}), so
 * a new master that fails leaves the old one untouched.
 * Old-master side on the master loop; new-master side in {@link #inherit}.
 */
final class BinaryUpgrade {
    private static final Logger log = LoggerFactory.getLogger(BinaryUpgrade.class);
    /** The id the new master uses on the old one's control socket; workers are numbered from 1. */
    static final int NEW_MASTER_ID = 0;
    /** Set for the new master: the old master's control socket, where its sockets wait. */
    static final String SOCKET_ENV = "CORRAL_UPGRADE_SOCKET";
    static final String COUNT_ENV = "CORRAL_UPGRADE_SOCKETS";

    /** The new master's command: bin/corral's, as the old one was started (null: this JVM's command line). */
    private final List<String> relaunch;
    private Process child;
    private Channel channel;
    private boolean ready;

    BinaryUpgrade(List<String> relaunch) {
        this.relaunch = relaunch == null ? null : List.copyOf(relaunch);
    }

    boolean inProgress() {
        return child != null && child.isAlive() && !ready;
    }

    /** Starts the new master; its exit will come back as a {@link MasterEvent.NewMasterExited}. */
    Process begin(Path controlSocket, int socketCount, PidFile pidFile, MasterEvents events) throws IOException {
        ready = false;
        channel = null;
        if (pidFile != null) {
            pidFile.writeOldbin();
        }
        var builder = new ProcessBuilder(relaunch != null ? relaunch : ownCommandLine())
                // The old master may exit first: the new one must not write into a pipe that dies with it.
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> env = builder.environment();
        List.of("LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES").forEach(env::remove);
        env.put(SOCKET_ENV, controlSocket.toString());
        env.put(COUNT_ENV, Integer.toString(socketCount));
        child = builder.start();
        long pid = child.pid();
        child.onExit().thenAccept(p -> events.add(new MasterEvent.NewMasterExited(pid, p.exitValue())));
        log.info("Binary upgrade: starting a new master (pid {}) on our sockets", pid);
        return child;
    }

    /** The java command that started this JVM, word for word ({@code /proc/self/cmdline}), with its full path. */
    private static List<String> ownCommandLine() throws IOException {
        String raw = Files.readString(Path.of("/proc/self/cmdline"), StandardCharsets.UTF_8);
        var words = new ArrayList<>(Arrays.asList(raw.split("\0")));
        words.set(0, ProcessHandle.current().info().command().orElse(words.getFirst()));
        return words;
    }

    void connected(Channel control) {
        channel = control;
    }

    /** The new master's hello: it has the sockets; tell it their kinds. */
    void configure(List<String> socketKinds) {
        channel.writeAndFlush(new ControlMessage.Configure("", Map.of(), socketKinds));
    }

    /** The new master serves with all its workers. Returns its pid. */
    long ready() {
        ready = true;
        return child.pid();
    }

    /** The new master exited; returns whether it had become ready (else the upgrade failed). */
    boolean exited() {
        boolean wasReady = ready;
        child = null;
        channel = null;
        ready = false;
        return wasReady;
    }

    boolean handedOver() {
        return ready;
    }

    // ---- the new master's side ----

    /** Whether this process is a new master started by USR2. */
    static boolean isNewMaster(Map<String, String> env) {
        return env.containsKey(SOCKET_ENV);
    }

    /**
     * Collects the old master's listening sockets. The returned client stays connected: {@link #announceReady}
     * tells the old master when this one serves.
     */
    static ControlClient inherit(Map<String, String> env, EventLoopGroup group) throws IOException {
        try {
            return ControlClient.connect(Path.of(env.get(SOCKET_ENV)), NEW_MASTER_ID,
                    Integer.parseInt(env.get(COUNT_ENV)), group, message -> { });
        } catch (Exception e) {
            throw new IOException("cannot collect the sockets of the old master (" + env.get(SOCKET_ENV) + "): "
                    + e.getMessage(), e);
        }
    }

    static void announceReady(ControlClient oldMaster) {
        oldMaster.send(new ControlMessage.Ready());
    }
}
