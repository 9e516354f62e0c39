package io.corral.http;

import io.corral.app.App;
import io.corral.app.Broker;
import io.corral.app.Presence;
import io.corral.config.BindAddress;
import io.corral.config.Config;
import io.corral.config.ServerSocketSettings;
import io.corral.config.WorkerSettings;
import io.corral.ws.CloseCodes;
import io.corral.ws.WsConfig;
import io.corral.ws.WsHandshake;
import io.corral.ws.WsSessions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's HTTP server: the event loops, the virtual-thread executor for handlers, and the listening sockets.
 * Epoll on Linux; NIO (TCP only) where the native transport cannot load, with a warning.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    private final boolean epoll = Epoll.isAvailable();
    private final Config config;
    private final EventLoopGroup loops;
    private final ExecutorService handlers;
    private final ConnectionGate gate;
    private final ServingState state = new ServingState();
    private final WsSessions sessions;
    private final HttpInitializer initializer;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<String> warmUps;
    /** Requests this worker sent itself ({@link #warmUp}): not counted as served, so not towards --max-requests. */
    private long warmUpRequests;

    /**
     * Asks {@code app} for its routes, which may use {@code broker} and {@code presence}; nothing listens until
     * {@link #bind}. {@code instance} names this worker in WebSocket session ids.
     */
    public HttpServer(Config config, App app, Broker broker, Presence presence, String instance) {
        this.config = config;
        var routes = new RouteTable(broker, presence);
        app.configure(routes);
        this.warmUps = routes.warmUps();
        if (!epoll) {
            log.warn("epoll unavailable ({}); serving with NIO", Epoll.unavailabilityCause().toString());
        }
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.loops = new MultiThreadIoEventLoopGroup(config.get(WorkerSettings.THREADS), io);
        this.handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("handler-", 0).factory());
        this.gate = new ConnectionGate(config.get(WorkerSettings.WORKER_CONNECTIONS));
        this.sessions = new WsSessions(instance);
        var handshake = new WsHandshake(WsConfig.from(config), sessions, handlers);
        this.initializer = new HttpInitializer(config, gate, routes, handlers, state, handshake);
    }

    /** Binds and starts accepting on {@code address}; returns the bound address (port 0 becomes a real port). */
    public SocketAddress bind(BindAddress address) throws IOException {
        var bootstrap = new ServerBootstrap()
                .group(loops)
                .option(ChannelOption.SO_BACKLOG, config.get(ServerSocketSettings.BACKLOG))
                .childHandler(initializer);
        SocketAddress socketAddress = switch (address) {
            case BindAddress.Tcp tcp -> {
                bootstrap.channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childOption(ChannelOption.TCP_NODELAY, true);
                yield tcp.socketAddress();
            }
            case BindAddress.Unix unix -> {
                if (!epoll) {
                    throw new IOException("unix sockets need the epoll transport, which is unavailable here");
                }
                Files.deleteIfExists(unix.path()); // a stale socket file from a previous run blocks bind
                bootstrap.channel(EpollServerDomainSocketChannel.class);
                yield new DomainSocketAddress(unix.path().toFile());
            }
        };
        try {
            Channel channel = bootstrap.bind(socketAddress).sync().channel();
            listeners.add(channel);
            return channel.localAddress();
        } catch (Exception e) {
            throw new IOException("cannot bind " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * Serves a listening socket the master bound and passed over: registered, not bound, since it already listens.
     * Closing it later closes this process's copy only; the socket stays open in the master and the other workers.
     */
    public void adopt(int fd, String kind) throws IOException {
        if (!epoll) {
            throw new IOException("sockets passed by the master need the epoll transport, which is unavailable");
        }
        // Shared with the other workers: they take turns at accepting (AcceptTurns).
        var bootstrap = new ServerBootstrap().group(loops)
                .option(ChannelOption.RECVBUF_ALLOCATOR, AcceptTurns.oneAtATime())
                .handler(AcceptTurns.INSTANCE)
                .childHandler(initializer);
        if (kind.equals("unix")) {
            bootstrap.channelFactory(() -> new EpollServerDomainSocketChannel(fd));
        } else {
            bootstrap.channelFactory(() -> new EpollServerSocketChannel(fd))
                    .childOption(ChannelOption.TCP_NODELAY, true);
        }
        try {
            listeners.add(bootstrap.register().sync().channel());
        } catch (Exception e) {
            throw new IOException("cannot serve socket fd " + fd + " (" + kind + "): " + e.getMessage(), e);
        }
    }

    /**
     * Graceful stop: stop accepting (the socket stays open in the master, so waiting clients go to other workers),
     * answer each connection's next request with {@code Connection: close}, let idle ones reach their keep-alive
     * expiry, close WebSockets with 1012 when {@code replaced} (a new worker will answer the reconnect) or 1001, and
     * wait until no connection is open or {@code grace} has passed.
     */
    public void drain(java.time.Duration grace, boolean replaced) {
        // Draining first: anything that slips in before the listeners close is told to go (Connection: close,
        // 503 to an upgrade, 1012 to a handshake already accepted).
        state.startDraining();
        int closing = replaced ? sessions.closeAll(CloseCodes.SERVICE_RESTART, "server restarting")
                : sessions.closeAll(CloseCodes.GOING_AWAY, "server shutting down");
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
        if (closing > 0) {
            log.info("Closing {} WebSocket(s) with {}", closing,
                    replaced ? CloseCodes.SERVICE_RESTART : CloseCodes.GOING_AWAY);
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (gate.openConnections() > 0 && System.nanoTime() < deadline) {
            gate.connections().newCloseFuture().awaitUninterruptibly(
                    Math.max(1, Math.min(100, (deadline - System.nanoTime()) / 1_000_000)));
        }
        if (gate.openConnections() > 0) {
            log.warn("{} connection(s) still open after --graceful-timeout; closing them", gate.openConnections());
        }
    }

    /**
     * Sends the app's warm-up requests ({@link io.corral.app.Routes#warmUp}) {@code rounds} times through this
     * server's own pipeline, on a loopback listener of its own that is closed again before this returns, so none
     * of them comes from or reaches a client; for at most {@code budget} (a slow warm-up path must not keep a worker
     * booting until --timeout kills it). Returns how many were answered; a warm-up that cannot run at all (no
     * loopback) is logged and skipped, since it only saves time.
     */
    public int warmUp(int rounds, java.time.Duration budget) {
        if (warmUps.isEmpty() || rounds <= 0) {
            return 0;
        }
        long servedBefore = state.served();
        Channel listener;
        try {
            listener = new ServerBootstrap().group(loops)
                    .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(initializer.forWarmUp())
                    .bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0)).sync().channel();
        } catch (Exception e) {
            log.warn("Warm-up skipped: cannot listen on loopback: {}", e.toString());
            return 0;
        }
        try {
            return new WarmUpClient((InetSocketAddress) listener.localAddress()).run(warmUps, rounds,
                    System.nanoTime() + budget.toNanos());
        } finally {
            listener.close().syncUninterruptibly();
            warmUpRequests += state.served() - servedBefore;
        }
    }

    /** Requests served so far (WebSocket sessions will count too), not counting the worker's own warm-up. */
    public long served() {
        return state.served() - warmUpRequests;
    }

    public EventLoopGroup loops() {
        return loops;
    }

    /** The TCP port of the first listener, for tests and logs. */
    public int port() {
        return ((InetSocketAddress) listeners.getFirst().localAddress()).getPort();
    }

    /** Open client connections, this instant. */
    public int openConnections() {
        return gate.openConnections();
    }

    /** Stops accepting, then closes connections and stops the loops and the handler executor. */
    @Override
    public void close() {
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        handlers.shutdownNow();
    }
}
