package io.corral.testing;

import org.awaitility.Awaitility;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A stand-in for systemd's notify socket: an AF_UNIX datagram socket that records every message sent to it. */
public final class NotifySocket implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final Channel channel;
    private final Path path;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    public NotifySocket(Path path) throws InterruptedException {
        this.path = path;
        this.channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket packet) {
                        messages.add(packet.content().toString(StandardCharsets.UTF_8));
                    }
                })
                .bind(new DomainSocketAddress(path.toFile())).sync().channel();
    }

    public Path path() {
        return path;
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** Waits for a message holding the line {@code line} after the first {@code skip} messages; returns its index. */
    public int await(String line, int skip) {
        int[] index = new int[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).alias("notify message with " + line + " in " + messages)
                .until(() -> {
                    List<String> all = messages();
                    for (int i = skip; i < all.size(); i++) {
                        if (all.get(i).lines().anyMatch(line::equals)) {
                            index[0] = i;
                            return true;
                        }
                    }
                    return false;
                });
        return index[0];
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
}
