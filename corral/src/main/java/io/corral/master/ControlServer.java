package io.corral.master;

import io.corral.broker.BrokerHub;
import io.corral.control.ControlCodec;
import io.corral.control.ControlMessage;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.PeerCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Unix socket workers connect to. A connecting process must be one the master spawned (its pid, from
 * SO_PEERCRED, is in the table): anyone else could otherwise collect our listening sockets. A worker first receives
 * every listening descriptor ({@code SCM_RIGHTS}), then speaks {@link ControlMessage}s, and broker frames that the
 * {@link BrokerHub} relays right here. Runs on the master's Netty loop and only queues events.
 */
final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);

    private final Channel channel;

    ControlServer(Path socket, EventLoopGroup group, List<Integer> fds, Map<Long, Integer> workerByPid,
                  MasterEvents events) throws IOException {
        var hub = new BrokerHub();
        var bootstrap = new ServerBootstrap()
                .group(group)
                .channel(EpollServerDomainSocketChannel.class)
                // Past the high mark a worker's channel is unwritable and the hub skips it (see BrokerHub).
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8 << 20, 32 << 20))
                .childHandler(new ChannelInitializer<EpollDomainSocketChannel>() {
                    @Override
                    protected void initChannel(EpollDomainSocketChannel ch) {
                        ch.pipeline().addLast(new Handshake(fds, workerByPid, events, hub));
                    }
                });
        try {
            this.channel = bootstrap.bind(new DomainSocketAddress(socket.toFile())).sync().channel();
        } catch (Exception e) {
            throw new IOException("cannot open the control socket " + socket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    /** Checks who connected, passes the sockets, then hands the channel to a {@link Relay}. */
    private static final class Handshake extends ChannelInboundHandlerAdapter {
        private final List<Integer> fds;
        private final Map<Long, Integer> workerByPid;
        private final MasterEvents events;
        private final BrokerHub hub;

        Handshake(List<Integer> fds, Map<Long, Integer> workerByPid, MasterEvents events, BrokerHub hub) {
            this.fds = fds;
            this.workerByPid = workerByPid;
            this.events = events;
            this.hub = hub;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws IOException {
            PeerCredentials peer = ((EpollDomainSocketChannel) ctx.channel()).peerCredentials();
            Integer id = workerByPid.get((long) peer.pid());
            if (id == null) {
                log.warn("control socket: refused a connection from pid {} (uid {}), not one of our workers",
                        peer.pid(), peer.uid());
                ctx.close();
                return;
            }
            for (int fd : fds) {
                ctx.write(new FileDescriptor(fd));
            }
            ctx.flush();
            ControlCodec.install(ctx.pipeline());
            ctx.pipeline().addAfter("frames", "broker", hub.relayFor(peer.pid()));
            ctx.pipeline().addLast(new Relay(id, events));
            ctx.pipeline().remove(this);
            events.add(id == BinaryUpgrade.NEW_MASTER_ID ? new MasterEvent.NewMasterConnected(ctx.channel())
                    : new MasterEvent.WorkerConnected(id, ctx.channel()));
        }
    }

    /** Turns a worker's messages into master events. */
    private static final class Relay extends SimpleChannelInboundHandler<ControlMessage> {
        private final int workerId;
        private final MasterEvents events;

        Relay(int workerId, MasterEvents events) {
            this.workerId = workerId;
            this.events = events;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ControlMessage message) {
            events.add(workerId == BinaryUpgrade.NEW_MASTER_ID ? new MasterEvent.NewMasterSaid(message)
                    : new MasterEvent.WorkerSaid(workerId, message));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A worker killed mid-write resets its end: its exit is logged, with its cause, when it is reaped.
            if (cause instanceof java.io.IOException && String.valueOf(cause.getMessage()).contains("reset by peer")) {
                log.debug("control channel of worker {}: {}", workerId, cause.toString());
            } else {
                log.warn("control channel of worker {}: {}", workerId, cause.toString());
            }
            ctx.close();
        }
    }
}
