package io.corral.ws;

import io.corral.app.Request;
import io.corral.app.WsListener;
import io.corral.app.WsSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket session: the last handler of an upgraded connection (after Netty's frame codec, the optional
 * permessage-deflate codec, the UTF-8 check and the aggregator) and the app's {@link WsSession}. The close handshake,
 * keepalive pings and the state below live on the channel's event loop; {@link #send} may be called from any thread
 * and only counts bytes and hands the frame to the loop; the app's callbacks run in a {@link CallbackQueue}.
 *
 * <p>Invariant: {@code queued} is the number of message bytes handed to the channel and not yet written to the
 * socket; it never exceeds {@code --ws-send-buffer}, so a client that stops reading costs a bounded amount of memory.
 */
public final class WsConnection extends ChannelInboundHandlerAdapter implements WsSession {
    private static final Logger log = LoggerFactory.getLogger(WsConnection.class);
    /** How long we wait for the client's answer to our close frame before closing the TCP connection anyway. */
    private static final long CLOSE_TIMEOUT_MILLIS = 3000;
    /** Close frames reasons are limited to 123 bytes (RFC 6455 §5.5: control payload ≤ 125, 2 for the code). */
    private static final int MAX_REASON_BYTES = 123;

    private final Channel channel;
    private final WsListener listener;
    private final Request upgrade;
    private final WsSessions sessions;
    private final WsConfig config;
    private final CallbackQueue callbacks;
    private final String id;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final List<Runnable> endHooks = new CopyOnWriteArrayList<>();
    private volatile boolean open;
    private volatile boolean everOpened;
    private volatile String subprotocol;

    // Event loop only:
    private boolean closeSent;
    private int closeCode = CloseCodes.ABNORMAL;
    private String closeReason = "";
    private ScheduledFuture<?> pinger;
    private long pingSentAt;

    WsConnection(Channel channel, WsListener listener, Request upgrade, WsSessions sessions, WsConfig config,
                 Executor executor) {
        this.channel = channel;
        this.listener = listener;
        this.upgrade = upgrade;
        this.sessions = sessions;
        this.config = config;
        this.callbacks = new CallbackQueue(executor, channel, config.maxQueue());
        this.id = sessions.nextId();
    }

    /** The 101 is out: the session is open. Event loop. */
    void opened(String agreedSubprotocol) {
        subprotocol = agreedSubprotocol;
        open = true;
        everOpened = true;
        sessions.add(this);
        if (config.pingIntervalNanos() > 0) {
            pinger = channel.eventLoop().scheduleAtFixedRate(this::ping, config.pingIntervalNanos(),
                    config.pingIntervalNanos(), TimeUnit.NANOSECONDS);
        }
        callbacks.submit(() -> callApp(() -> listener.onOpen(this)));
        channel.config().setAutoRead(true);
    }

    /** Runs {@code hook} once the session has ended (for presence); at once if it already has. */
    public void whenEnded(Runnable hook) {
        endHooks.add(hook);
        if (ended.get() && endHooks.remove(hook)) {
            hook.run();
        }
    }

    // ---- WsSession, any thread ----

    @Override
    public String id() {
        return id;
    }

    @Override
    public Request upgrade() {
        return upgrade;
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean send(String text) {
        return open && enqueue(ByteBufUtil.writeUtf8(channel.alloc(), text), true);
    }

    @Override
    public boolean send(byte[] data) {
        return open && enqueue(Unpooled.wrappedBuffer(data), false);
    }

    private boolean enqueue(ByteBuf payload, boolean text) {
        int size = payload.readableBytes();
        long total = queued.addAndGet(size);
        if (total > config.sendBuffer()) {
            queued.addAndGet(-size);
            payload.release();
            channel.eventLoop().execute(() -> closeSlowReader(total));
            return false;
        }
        WebSocketFrame frame = text ? new TextWebSocketFrame(payload) : new BinaryWebSocketFrame(payload);
        if (channel.eventLoop().inEventLoop()) {
            write(frame, size);
        } else {
            // A write from another thread is a task of the event loop anyway; checking there, not only `open` here,
            // keeps a frame sent while a close was queued from going out after our Close (RFC 6455 §5.5.1:
            // Chromium fails the connection, "Data frame received after close").
            channel.eventLoop().execute(() -> write(frame, size));
        }
        return true;
    }

    /** Event loop. */
    private void write(WebSocketFrame frame, int size) {
        if (closeSent) {
            queued.addAndGet(-size);
            frame.release();
            return;
        }
        channel.writeAndFlush(frame).addListener(written -> queued.addAndGet(-size));
    }

    @Override
    public void close(int code, String reason) {
        channel.eventLoop().execute(() -> startClose(code, reason));
    }

    // ---- event loop ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            switch (msg) {
                case TextWebSocketFrame text -> {
                    String value = text.text();
                    if (open) {
                        callbacks.submit(() -> callApp(() -> listener.onText(this, value)));
                    }
                }
                case BinaryWebSocketFrame binary -> {
                    byte[] value = ByteBufUtil.getBytes(binary.content());
                    if (open) {
                        callbacks.submit(() -> callApp(() -> listener.onBinary(this, value)));
                    }
                }
                case PingWebSocketFrame ping -> {
                    if (!closeSent) {  // nothing may follow our Close, a pong neither
                        ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                    }
                }
                case PongWebSocketFrame pong -> pingSentAt = 0;
                case CloseWebSocketFrame close -> onCloseFrame(close);
                default -> {
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /**
     * The client closes, or answers our close. A well-formed close is echoed with its code (RFC 6455 §5.5.1); a broken
     * one is answered with 1002 or 1007 ({@link ReceivedClose}). Either way the client has closed its side, so the
     * TCP connection ends once our frame is written; if we had already sent ours, at once.
     */
    private void onCloseFrame(CloseWebSocketFrame frame) {
        switch (ReceivedClose.of(frame.content())) {
            case ReceivedClose.Valid valid -> closeNow(valid.code(), valid.reason(),
                    valid.code() == CloseCodes.NO_STATUS ? new CloseWebSocketFrame()
                            : new CloseWebSocketFrame(valid.code(), ""));
            case ReceivedClose.Broken broken -> {
                if (!closeSent) {
                    log.info("WebSocket {} from {} closed with {}: {}", id, upgrade.clientAddress(), broken.answer(),
                            broken.why());
                }
                closeNow(broken.answer(), broken.why(), new CloseWebSocketFrame(broken.answer(), broken.why()));
            }
        }
    }

    /**
     * Ends the connection without waiting for the client: after its close, or when it broke the protocol (RFC 6455
     * §7.1.7). {@code answer} goes out first unless we already sent a close (one per connection); the TCP connection
     * closes once it is written, or after {@link #CLOSE_TIMEOUT_MILLIS} if the client does not read it.
     */
    private void closeNow(int code, String reason, CloseWebSocketFrame answer) {
        open = false;
        if (closeSent) {
            answer.release();
            channel.close();
            return;
        }
        closeSent = true;
        closeCode = code;
        closeReason = reason;
        channel.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
        channel.eventLoop().schedule(() -> channel.close(), CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void startClose(int code, String reason) {
        open = false;
        if (closeSent || !channel.isActive()) {
            return;
        }
        closeSent = true;
        channel.eventLoop().schedule(() -> channel.close(), CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        if (!ReceivedClose.mayBeSent(code)) {
            log.warn("WebSocket {}: the app closed with {}, which may not be sent (1000-1003, 1007-1014, 3000-4999);"
                    + " sending 1011", id, code);
            code = CloseCodes.INTERNAL_ERROR;
        }
        closeCode = code;
        closeReason = reason == null ? "" : reason;
        channel.writeAndFlush(new CloseWebSocketFrame(code, truncate(closeReason)));
    }

    private void closeSlowReader(long wanted) {
        if (closeSent) {
            return;
        }
        log.warn("WebSocket {} from {}: the client does not read ({} bytes would be queued > --ws-send-buffer {});"
                + " closing with 1008", id, upgrade.clientAddress(), wanted, config.sendBuffer());
        startClose(CloseCodes.POLICY_VIOLATION, "client too slow to read");
    }

    private void ping() {
        if (closeSent) {
            return;
        }
        long sentAt = System.nanoTime();
        if (pingSentAt == 0) {
            pingSentAt = sentAt;
            channel.writeAndFlush(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER));
            channel.eventLoop().schedule(() -> {
                if (pingSentAt == sentAt && !closeSent) {
                    log.info("WebSocket {} from {}: no pong within --ws-ping-timeout; closing with 1011", id,
                            upgrade.clientAddress());
                    startClose(CloseCodes.INTERNAL_ERROR, "keepalive ping timeout");
                }
            }, config.pingTimeoutNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        switch (cause) {
            case CorruptedWebSocketFrameException corrupt -> {
                // From Netty's frame decoder or UTF-8 check, which leave the answer to us (closeOnProtocolViolation
                // off): after a close of our own (a 1009, the app's) a second one must not go out.
                if (!closeSent) {
                    log.info("WebSocket {} from {} closed with {}: {}", id, upgrade.clientAddress(),
                            corrupt.closeStatus().code(), cause.getMessage());
                }
                var status = corrupt.closeStatus();
                closeNow(status.code(), status.reasonText(), new CloseWebSocketFrame(status));
            }
            case TooLongFrameException tooLong -> tooBig(cause);
            case DecompressionException inflate -> tooBig(cause);
            case IOException io -> {
                log.debug("WebSocket {} from {} failed: {}", id, upgrade.clientAddress(), cause.toString());
                ctx.close();
            }
            default -> {
                log.warn("WebSocket {} from {} failed; closing with 1011", id, upgrade.clientAddress(), cause);
                startClose(CloseCodes.INTERNAL_ERROR, "internal error");
            }
        }
    }

    /**
     * Reading goes on after the 1009: the aggregator and the inflater drop the rest of the message, and the client's
     * answering close ends the connection at once instead of at {@link #CLOSE_TIMEOUT_MILLIS}.
     */
    private void tooBig(Throwable cause) {
        if (closeSent) {
            return;
        }
        log.info("WebSocket {} from {} closed with 1009: message over --ws-max-size {} ({})", id,
                upgrade.clientAddress(), config.maxSize(), cause.getMessage());
        startClose(CloseCodes.MESSAGE_TOO_BIG, "message too big");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open = false;
        if (pinger != null) {
            pinger.cancel(false);
        }
        sessions.remove(this);
        if (everOpened) {
            int code = closeCode;
            String reason = closeReason;
            callbacks.submit(() -> end(code, reason));
        }
        ctx.fireChannelInactive();
    }

    /** Exactly once per opened session, after every message callback. */
    private void end(int code, String reason) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        try {
            listener.onClose(this, code, reason);
        } catch (RuntimeException e) {
            log.warn("WebSocket {}: onClose failed", id, e);
        }
        for (Runnable hook : endHooks) {
            endHooks.remove(hook);
            try {
                hook.run();
            } catch (RuntimeException e) {  // and the hooks after it still run
                log.warn("WebSocket {}: an end hook failed", id, e);
            }
        }
    }

    private interface Callback {
        void run() throws Exception;
    }

    /** An app callback; a failure is logged and ends the session with 1011, never the worker. */
    private void callApp(Callback callback) {
        try {
            callback.run();
        } catch (Exception | Error e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("WebSocket {} {}: callback failed; closing with 1011", id, upgrade.path(), e);
            close(CloseCodes.INTERNAL_ERROR, "internal error");
        }
    }

    private static String truncate(String reason) {
        byte[] bytes = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        return new String(bytes, 0, MAX_REASON_BYTES, java.nio.charset.StandardCharsets.UTF_8).replace("\uFFFD", "");
    }

    @Override
    public String toString() {
        return "WebSocket " + id;
    }
}
