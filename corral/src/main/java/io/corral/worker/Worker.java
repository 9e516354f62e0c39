package io.corral.worker;

import io.corral.app.App;
import io.corral.broker.PresenceTracker;
import io.corral.broker.WorkerBroker;
import io.corral.config.BrokerSettings;
import io.corral.config.BindAddress;
import io.corral.config.Config;
import io.corral.config.ServerSocketSettings;
import io.corral.http.HttpServer;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One serving process's app and HTTP server: the app is started before anything is accepted. Under the master
 * (WorkerMain) it serves the sockets the master passed; embedded (tests) it binds its own.
 */
public final class Worker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final App app;
    private final HttpServer server;
    private final WorkerBroker broker;
    private final PresenceTracker presence;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Worker(App app, HttpServer server, WorkerBroker broker, PresenceTracker presence) {
        this.app = app;
        this.server = server;
        this.broker = broker;
        this.presence = presence;
    }

    /** Boots a worker of its own, as tests and embedded use do: the broker (if local) reaches this process alone. */
    public static Worker boot(Config config, App app) throws AppLoadException {
        return boot(config, app, WorkerBroker.open(config.get(BrokerSettings.BROKER)));
    }

    /**
     * Builds the app's routes and runs its {@code start()}; nothing is accepted before that has succeeded,
     * so a client never meets a half-started app.
     */
    public static Worker boot(Config config, App app, WorkerBroker broker) throws AppLoadException {
        return boot(config, app, broker, new BootPhases(0, System::nanoTime));
    }

    /** As above, marking the phases on {@code phases}: the app's routes and the server, then its start(). */
    static Worker boot(Config config, App app, WorkerBroker broker, BootPhases phases) throws AppLoadException {
        var presence = new PresenceTracker(broker);
        HttpServer server;
        try {
            server = new HttpServer(config, app, broker, presence, broker.instance());
        } catch (RuntimeException e) {
            presence.close();
            broker.close();
            throw new AppLoadException("app configure() failed: " + e, e);
        }
        phases.mark("configure and server");
        try {
            app.start();
        } catch (Exception e) {
            server.close();
            presence.close();
            broker.close();
            throw new AppLoadException("app start() failed: " + e, e);
        }
        phases.mark("app start");
        return new Worker(app, server, broker, presence);
    }

    /** Binds every {@code --bind} address and logs each, as Gunicorn's "Listening at". */
    public void listen(Config config) throws IOException {
        for (BindAddress address : config.all(ServerSocketSettings.BIND)) {
            SocketAddress bound = server.bind(address);
            log.info("Listening at: {} ({})", describe(address, bound), ProcessHandle.current().pid());
        }
    }

    private static String describe(BindAddress requested, SocketAddress bound) {
        return switch (requested) {
            case BindAddress.Tcp tcp -> "http://" + new BindAddress.Tcp(tcp.host(),
                    ((java.net.InetSocketAddress) bound).getPort());
            case BindAddress.Unix unix -> unix.toString();
        };
    }

    /** Serves the listening sockets the master passed, in order, each {@code tcp} or {@code unix}. */
    public void adopt(java.util.List<Integer> fds, java.util.List<String> kinds) throws IOException {
        for (int i = 0; i < fds.size(); i++) {
            server.adopt(fds.get(i), kinds.get(i));
        }
    }

    /** Stops accepting and lets open requests finish, for at most {@code grace}; see {@link HttpServer#drain}. */
    public void drain(java.time.Duration grace, boolean replaced) {
        server.drain(grace, replaced);
    }

    public HttpServer server() {
        return server;
    }

    /** Stops accepting, closes connections, then runs the app's {@code stop()}. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close();
            app.stop();
        } catch (Exception e) {
            log.error("app stop() failed", e);
        } finally {
            presence.close();
            broker.close();
        }
    }
}
