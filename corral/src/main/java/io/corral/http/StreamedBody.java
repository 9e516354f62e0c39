package io.corral.http;

import io.corral.app.HttpError;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request body as it arrives, for a {@link io.corral.app.Handler#streamed} route: the event loop offers the
 * chunks {@link UploadSplitter} takes off the wire, the handler's virtual thread reads them. Memory is bounded by
 * pausing the connection's reads while more than {@link #HIGH_WATER} bytes wait, and resuming below
 * {@link #LOW_WATER}, so a 10 MiB upload to a worker with a small heap holds a few hundred KiB at a time.
 *
 * <p>The body ends with the request's last chunk, or fails: past the route's limit (the splitter has answered 413;
 * a read throws that {@link HttpError}), or with the connection closing first (an {@link IOException}).
 */
final class StreamedBody extends InputStream {
    static final int HIGH_WATER = 512 * 1024;
    static final int LOW_WATER = 128 * 1024;

    private final Channel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
    private long queued;
    private boolean ended;
    private boolean paused;
    private boolean discarding;
    private RuntimeException refusal;
    private IOException failure;
    private volatile boolean answered;
    private Runnable sendContinue;

    /** How a body ended once its handler returned. */
    enum Drained {
        /** Read to its end: the connection goes on. */
        DONE,
        /** Refused (413, answered) or the connection lost: there is no answer to send. */
        GONE,
        /** The client waits for {@code 100 Continue} that was never sent: answer, and close. */
        NEVER_ASKED
    }

    StreamedBody(Channel channel) {
        this.channel = channel;
    }

    /**
     * Event loop, before the handler runs: the client sent {@code Expect: 100-continue}; {@code sendContinue} is
     * run at the handler's first read, so a handler that refuses first (401, 403) never invites the body.
     */
    void expectContinue(Runnable sendContinue) {
        lock.lock();
        try {
            this.sendContinue = sendContinue;
        } finally {
            lock.unlock();
        }
    }

    /** Event loop: a chunk of the body (retained by the caller for this stream). */
    void offer(ByteBuf chunk) {
        lock.lock();
        try {
            if (discarding || refusal != null || failure != null) {
                chunk.release();
                return;
            }
            chunks.add(chunk);
            queued += chunk.readableBytes();
            if (queued > HIGH_WATER && !paused) {
                paused = true;
                channel.config().setAutoRead(false);
            }
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Event loop: the last chunk has been offered. */
    void end() {
        lock.lock();
        try {
            ended = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Event loop: the body went past the route's limit and the splitter answered it; reads throw {@code refusal}. */
    void refuse(HttpError refusal) {
        answered = true;
        fail(refusal, null);
    }

    /** Event loop: the connection closed before the body ended. */
    void connectionLost() {
        fail(null, new IOException("the connection closed before the request body ended"));
    }

    private void fail(RuntimeException refusal, IOException failure) {
        lock.lock();
        try {
            if (ended && chunks.isEmpty() || this.refusal != null || this.failure != null) {
                return;
            }
            this.refusal = refusal;
            this.failure = failure;
            releaseAll();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the connection closed before the body ended (then nobody is left to answer). */
    boolean lost() {
        lock.lock();
        try {
            return failure != null;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the splitter has answered the request itself (413): the handler's answer is not to be sent. */
    boolean answered() {
        return answered;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        lock.lock();
        try {
            askOnce();
            while (chunks.isEmpty() && !ended && refusal == null && failure == null) {
                arrived.awaitUninterruptibly();
            }
            if (refusal != null) {
                throw refusal;
            }
            if (failure != null) {
                throw new IOException(failure.getMessage(), failure);
            }
            if (chunks.isEmpty()) {
                return -1;
            }
            ByteBuf head = chunks.peek();
            int n = Math.min(length, head.readableBytes());
            head.readBytes(into, offset, n);
            if (!head.isReadable()) {
                chunks.poll().release();
            }
            queued -= n;
            if (paused && queued < LOW_WATER) {
                paused = false;
                channel.eventLoop().execute(() -> channel.config().setAutoRead(true));
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Handler's thread, after it returned: reads what the handler left of the body and drops it, so the connection
     * stays usable for the next request (as Tomcat swallows an unread body). Bounded by the route's limit: past it,
     * the splitter answers 413 and closes. A body the client holds back for a {@code 100 Continue} never sent is
     * not asked for: the answer then closes the connection.
     */
    Drained drain() {
        lock.lock();
        try {
            if (sendContinue != null && !ended && chunks.isEmpty()) {
                return Drained.NEVER_ASKED;  // no body is coming until asked for; asking now would only waste it
            }
            askOnce();
            discarding = true;
            releaseAll();
            while (!ended && refusal == null && failure == null) {
                if (paused) {
                    paused = false;
                    channel.eventLoop().execute(() -> channel.config().setAutoRead(true));
                }
                arrived.awaitUninterruptibly();
            }
            return ended && refusal == null && failure == null ? Drained.DONE : Drained.GONE;
        } finally {
            lock.unlock();
        }
    }

    /** Lock held: sends the awaited {@code 100 Continue}, once. */
    private void askOnce() {
        if (sendContinue != null) {
            Runnable ask = sendContinue;
            sendContinue = null;
            channel.eventLoop().execute(ask);
        }
    }

    private void releaseAll() {
        while (!chunks.isEmpty()) {
            chunks.poll().release();
        }
        queued = 0;
    }
}
