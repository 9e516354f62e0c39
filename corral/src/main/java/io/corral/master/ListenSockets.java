package io.corral.master;

import io.corral.config.BindAddress;
import io.corral.config.Config;
import io.corral.config.ServerSocketSettings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The listening sockets, bound once by the master (or taken from systemd's socket activation) and shared by every
 * worker. The master never accepts on them (auto-read off), it only holds them open: a connection waiting in the
 * kernel's queue survives any worker's exit, crash or reload. Not SO_REUSEPORT: a closing listener would reset
 * what waits in its own queue.
 */
final class ListenSockets implements AutoCloseable {

    /** One socket: its descriptor, {@code tcp} or {@code unix}, and how the logs name it. */
    record Listener(int fd, String kind, String description) {
    }

    private final List<Listener> listeners;
    private final List<Channel> channels;

    private ListenSockets(List<Listener> listeners, List<Channel> channels) {
        this.listeners = List.copyOf(listeners);
        this.channels = List.copyOf(channels);
    }

    /** Adopts systemd's sockets when {@code LISTEN_PID} is ours, else binds every {@code --bind} address. */
    static ListenSockets open(Config config, EventLoopGroup group, Map<String, String> env) throws IOException {
        String listenPid = env.get("LISTEN_PID");
        String listenFds = env.get("LISTEN_FDS");
        if (listenPid != null && listenFds != null
                && listenPid.equals(Long.toString(ProcessHandle.current().pid()))) {
            return adopt(Integer.parseInt(listenFds), env.get("LISTEN_FDNAMES"));
        }
        var listeners = new ArrayList<Listener>();
        var channels = new ArrayList<Channel>();
        for (BindAddress address : config.all(ServerSocketSettings.BIND)) {
            Channel channel = bind(address, config.get(ServerSocketSettings.BACKLOG), group);
            channels.add(channel);
            listeners.add(switch (address) {
                case BindAddress.Tcp tcp -> new Listener(((EpollServerSocketChannel) channel).fd().intValue(), "tcp",
                        "http://" + new BindAddress.Tcp(tcp.host(),
                                ((InetSocketAddress) channel.localAddress()).getPort()));
                case BindAddress.Unix unix ->
                        new Listener(((EpollServerDomainSocketChannel) channel).fd().intValue(), "unix",
                                unix.toString());
            });
        }
        return new ListenSockets(listeners, channels);
    }

    private static Channel bind(BindAddress address, int backlog, EventLoopGroup group) throws IOException {
        var bootstrap = new ServerBootstrap()
                .group(group)
                .option(ChannelOption.SO_BACKLOG, backlog)
                .option(ChannelOption.AUTO_READ, false)  // never accept here: the workers do
                .childHandler(new ChannelInboundHandlerAdapter());
        try {
            return switch (address) {
                case BindAddress.Tcp tcp -> bootstrap.channel(EpollServerSocketChannel.class)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .bind(tcp.socketAddress()).sync().channel();
                case BindAddress.Unix unix -> {
                    Files.deleteIfExists(unix.path()); // a stale socket file from an earlier run blocks bind
                    yield bootstrap.channel(EpollServerDomainSocketChannel.class)
                            .bind(new DomainSocketAddress(unix.path().toFile())).sync().channel();
                }
            };
        } catch (Exception e) {
            throw new IOException("Connection in use or not allowed: " + address + " (" + e.getMessage() + ")", e);
        }
    }

    /** systemd passes activated sockets as descriptors 3, 4, ... (sd_listen_fds). */
    private static ListenSockets adopt(int count, String names) {
        var listeners = new ArrayList<Listener>();
        String[] fdNames = names == null ? new String[0] : names.split(":");
        for (int i = 0; i < count; i++) {
            int fd = 3 + i;
            String name = i < fdNames.length ? fdNames[i] : "fd " + fd;
            String kind = isTcp(fd) ? "tcp" : "unix";
            listeners.add(new Listener(fd, kind, "systemd socket " + name + " (fd " + fd + ", " + kind + ")"));
        }
        return new ListenSockets(listeners, List.of());
    }

    /** The sockets a new master collected from the old one (USR2), in the old master's order. */
    static ListenSockets inherited(List<Integer> fds, List<String> kinds) {
        var listeners = new ArrayList<Listener>();
        for (int i = 0; i < fds.size(); i++) {
            int fd = fds.get(i);
            String description = kinds.get(i).equals("tcp")
                    ? "http://" + tcp((InetSocketAddress) new EpollServerSocketChannel(fd).localAddress())
                    : "unix:" + ((DomainSocketAddress) new EpollServerDomainSocketChannel(fd).localAddress()).path();
            listeners.add(new Listener(fd, kinds.get(i), description + " (inherited)"));
        }
        return new ListenSockets(listeners, List.of());
    }

    private static BindAddress.Tcp tcp(InetSocketAddress address) {
        return new BindAddress.Tcp(address.getAddress().getHostAddress(), address.getPort());
    }

    private static boolean isTcp(int fd) {
        try {
            return new EpollServerSocketChannel(fd).localAddress() instanceof InetSocketAddress;
        } catch (RuntimeException notAnInetSocket) {
            return false;
        }
    }

    List<Listener> listeners() {
        return listeners;
    }

    List<Integer> fds() {
        return listeners.stream().map(Listener::fd).toList();
    }

    List<String> kinds() {
        return listeners.stream().map(Listener::kind).toList();
    }

    /**
     * Closes the sockets this master bound. Not after a binary upgrade handed them over: closing a bound unix socket
     * through Netty deletes its file, which the new master still serves; the process's exit closes the descriptors.
     */
    @Override
    public void close() {
        for (Channel channel : channels) {
            channel.close().syncUninterruptibly();
        }
    }
}
