package io.corral.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link java.io.OutputStream} a streamed response body is written to, on the handler's virtual thread. Bytes
 * are buffered up to {@link #CHUNK} and sent as one chunk on {@code flush()} or when the buffer fills. Back-pressure:
 * once more than {@link #MAX_IN_FLIGHT} bytes are handed to the channel and not yet written to the socket (the
 * client reads slower than we write), the writer waits for its last write to complete. The channel's writability
 * alone is not enough: a write from this thread is a task queued for the event loop, and the writer can queue
 * gigabytes before the loop has counted any of them (a non-reading client did exactly that in HardeningIT).
 * Invariant: {@code inFlight} ≤ MAX_IN_FLIGHT + one chunk.
 */
final class ChunkedBodyStream extends OutputStream {
    static final int CHUNK = 16 * 1024;
    /** Above Netty's 64 KiB high-water mark, so a stuck client makes the channel unwritable (--send-timeout). */
    static final int MAX_IN_FLIGHT = 256 * 1024;

    private final Channel channel;
    private final AtomicLong inFlight = new AtomicLong();
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
        if (!channel.isActive()) {
            buffer.release();
            buffer = null;
            throw new IOException("client closed the connection");
        }
        int size = buffer.readableBytes();
        inFlight.addAndGet(size);
        ChannelFuture written = channel.writeAndFlush(new DefaultHttpContent(buffer));
        written.addListener(done -> inFlight.addAndGet(-size));
        buffer = null;
        if (inFlight.get() > MAX_IN_FLIGHT || !channel.isWritable()) {
            try {
                written.sync();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the client was slow to read");
            } catch (Exception e) {
                throw new IOException("client closed the connection", e);
            }
        }
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
