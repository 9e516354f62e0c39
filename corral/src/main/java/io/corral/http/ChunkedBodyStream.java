package io.corral.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.Semaphore;

/**
 * The {@link java.io.OutputStream} a streamed response body is written to, on the handler's virtual thread. Bytes
 * are buffered up to {@link #CHUNK} and sent as one chunk on {@code flush()} or when the buffer fills.
 *
 * <p>Back-pressure is a byte budget: at most {@link #MAX_IN_FLIGHT} bytes may be handed to the channel and not yet
 * written to the socket; a chunk waits for its share of the budget, which written chunks give back. Two simpler
 * schemes failed in HardeningIT with a client that never reads. Waiting on the channel's writability let the writer
 * queue gigabytes, because a write from this thread is a task the event loop has not counted yet. Waiting for the
 * last write to complete stalled with the kernel's send buffer full and less than Netty's high-water mark left in
 * the channel: the channel stayed writable, so {@code --send-timeout} never started, and the handler waited
 * forever. With the budget, a stuck client leaves the whole budget queued in the channel, above the high-water
 * mark, so the send timeout closes the connection, the pending writes fail, and the writer wakes to an error.
 */
final class ChunkedBodyStream extends OutputStream {
    static final int CHUNK = 16 * 1024;
    /** Above Netty's 64 KiB high-water mark, so a stuck client makes the channel unwritable (--send-timeout). */
    static final int MAX_IN_FLIGHT = 256 * 1024;

    private final Channel channel;
    private final Semaphore budget = new Semaphore(MAX_IN_FLIGHT);
    private ByteBuf buffer;
    private boolean closed;

    ChunkedBodyStream(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("response body already finished");
        }
        while (length > 0) {
            if (buffer == null) {
                buffer = channel.alloc().buffer(CHUNK);
            }
            int n = Math.min(length, buffer.writableBytes());
            buffer.writeBytes(bytes, offset, n);
            offset += n;
            length -= n;
            if (!buffer.isWritable()) {
                flush();
            }
        }
    }

    @Override
    public void flush() throws IOException {
        if (buffer == null || !buffer.isReadable()) {
            return;
        }
        int size = buffer.readableBytes();
        try {
            budget.acquire(size);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            discard();
            throw new InterruptedIOException("interrupted while the client was slow to read");
        }
        if (!channel.isActive()) {
            budget.release(size);
            discard();
            throw new IOException("client closed the connection");
        }
        ChannelFuture written = channel.writeAndFlush(new DefaultHttpContent(buffer));
        buffer = null;
        // Failed writes give their bytes back too: a closed connection wakes the writer, which then finds it closed.
        written.addListener(done -> budget.release(size));
    }

    /** Flushes what is left; the caller then writes the last chunk. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            flush();
            closed = true;
        }
    }

    /** Drops unsent bytes after a failure. */
    void discard() {
        closed = true;
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }
}
