package io.corral.control;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.channel.unix.FileDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A worker's end of its control channel (and a new master's, during a binary upgrade, to collect the sockets). The
 * master first passes every listening socket as a descriptor; the channel reads in descriptor mode until it has them
 * all, then switches to bytes and speaks {@link ControlMessage}s. The master sends no bytes before our {@code Hello},
 * so the switch cannot race a message.
 */
public final class ControlClient {
    private final Channel channel;
    private final List<Integer> fds;
    private final ControlMessage.Configure configure;

    private ControlClient(Channel channel, List<Integer> fds, ControlMessage.Configure configure) {
        this.channel = channel;
        this.fds = fds;
        this.configure = configure;
    }

    /** Connects, receives {@code socketCount} descriptors, says hello and waits for the configuration. */
    public static ControlClient connect(Path socket, int workerId, int socketCount, EventLoopGroup group,
                                 Consumer<ControlMessage> onMessage) throws Exception {
        var fds = new CompletableFuture<List<Integer>>();
        var configure = new CompletableFuture<ControlMessage.Configure>();
        Channel channel = new Bootstrap()
                .group(group)
                .channel(EpollDomainSocketChannel.class)
                .option(EpollChannelOption.DOMAIN_SOCKET_READ_MODE, DomainSocketReadMode.FILE_DESCRIPTORS)
                .handler(new ChannelInitializer<EpollDomainSocketChannel>() {
                    @Override
                    protected void initChannel(EpollDomainSocketChannel ch) {
                        ch.pipeline().addLast(new SocketReceiver(socketCount, workerId, fds, configure, onMessage));
                    }
                })
                .connect(new DomainSocketAddress(socket.toFile())).sync().channel();
        List<Integer> received = fds.get(30, TimeUnit.SECONDS);
        return new ControlClient(channel, received, configure.get(30, TimeUnit.SECONDS));
    }

    /** The channel itself, for the broker's frames. */
    public Channel channel() {
        return channel;
    }

    public List<Integer> fds() {
        return fds;
    }

    public ControlMessage.Configure configure() {
        return configure;
    }

    public void send(ControlMessage message) {
        channel.writeAndFlush(message).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    /** Sends and waits (a little) until it is written: for the last words before exiting. */
    public void sendAndWait(ControlMessage message) {
        channel.writeAndFlush(message).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    /** Completes when the master closes the channel or dies. */
    public io.netty.channel.ChannelFuture closeFuture() {
        return channel.closeFuture();
    }

    /** Collects the descriptors, then turns the channel into a message channel. */
    private static final class SocketReceiver extends ChannelInboundHandlerAdapter {
        private final int expected;
        private final int workerId;
        private final CompletableFuture<List<Integer>> fds;
        private final CompletableFuture<ControlMessage.Configure> configure;
        private final Consumer<ControlMessage> onMessage;
        private final List<Integer> received = new ArrayList<>();

        SocketReceiver(int expected, int workerId, CompletableFuture<List<Integer>> fds,
                       CompletableFuture<ControlMessage.Configure> configure, Consumer<ControlMessage> onMessage) {
            this.expected = expected;
            this.workerId = workerId;
            this.fds = fds;
            this.configure = configure;
            this.onMessage = onMessage;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FileDescriptor fd) {
                received.add(fd.intValue());
                if (received.size() == expected) {
                    switchToMessages(ctx);
                }
            }
        }

        private void switchToMessages(ChannelHandlerContext ctx) {
            ctx.channel().config().setOption(EpollChannelOption.DOMAIN_SOCKET_READ_MODE, DomainSocketReadMode.BYTES);
            ControlCodec.install(ctx.pipeline());
            ctx.pipeline().addLast(new SimpleChannelInboundHandler<ControlMessage>() {
                @Override
                protected void channelRead0(ChannelHandlerContext c, ControlMessage message) {
                    if (message instanceof ControlMessage.Configure config) {
                        configure.complete(config);
                    } else {
                        onMessage.accept(message);
                    }
                }
            });
            ctx.pipeline().remove(this);
            fds.complete(List.copyOf(received));
            // From the channel, not this context: the codec sits after this handler and must see the message.
            ctx.channel().writeAndFlush(new ControlMessage.Hello(workerId))
                    .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fds.completeExceptionally(new IllegalStateException("the master closed the control channel"));
            configure.completeExceptionally(new IllegalStateException("the master closed the control channel"));
            ctx.fireChannelInactive();
        }
    }
}
