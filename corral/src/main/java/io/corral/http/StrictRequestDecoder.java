package io.corral.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Netty's request decoder plus the one RFC 9112 rule it still bends: obs-fold. Netty 4.2 already rejects bare LF
 * line ends (strict line parsing), whitespace before a header colon, invalid header names and values, CL with TE,
 * and a final coding other than chunked; it silently joins a header line that starts with SP or HTAB onto the one
 * before. RFC 9112 §5.2 lets a server reject that with 400, and we do: folding is a classic smuggling vector, since
 * a proxy in front may not fold the same way. First handler after {@link ConnectionGate}; event loop only.
 *
 * <p>It also fires {@link RequestHeadStarted} when the first byte of a new request arrives, which starts the
 * header clock in {@link ReadTimeouts}.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {

    /** Fired down the pipeline when the first byte of a request head arrives. */
    enum RequestHeadStarted { INSTANCE }

    /** Between the end of a message and the end of the next head: bytes we see now belong to a head. */
    private boolean inHead = true;
    /** Whether part of the current head has already been consumed by the decoder (its first line, at least). */
    private boolean headUnderway;
    private boolean failed;

    StrictRequestDecoder(HttpDecoderConfig config) {
        super(config);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (failed) {
            buffer.skipBytes(buffer.readableBytes());
            return;
        }
        if (inHead && buffer.isReadable()) {
            if (!headUnderway) {
                ctx.fireUserEventTriggered(RequestHeadStarted.INSTANCE);
            }
            if (hasObsFold(buffer)) {
                failed = true;
                buffer.skipBytes(buffer.readableBytes());
                out.add(invalid(new IllegalArgumentException("obsolete line folding (obs-fold) in a header")));
                return;
            }
        }
        int before = buffer.readerIndex();
        int produced = out.size();
        super.decode(ctx, buffer, out);
        if (inHead && buffer.readerIndex() > before) {
            headUnderway = true;
        }
        for (int i = produced; i < out.size(); i++) {
            Object message = out.get(i);
            if (message instanceof HttpRequest) {
                inHead = false;
                headUnderway = false;
            }
            if (message instanceof LastHttpContent) {
                inHead = true;
            }
        }
    }

    /**
     * Looks for a line that starts with SP or HTAB inside the head's field lines, up to the blank line that ends
     * the head. The decoder consumes whole lines, so once earlier lines of this head are gone the buffer starts at
     * a line: a fold, or the blank line, may sit right there.
     */
    private boolean hasObsFold(ByteBuf buffer) {
        int start = buffer.readerIndex();
        int end = buffer.writerIndex();
        if (headUnderway) {
            // The decoder consumes whole lines, so here we stand at the start of a line of this head.
            byte first = buffer.getByte(start);
            if (first == '\r' || first == '\n') {
                return false; // the blank line that ends the head; a body may follow
            }
            if (isSpaceOrTab(first)) {
                return true;
            }
        }
        for (int i = start; i < end - 1; i++) {
            if (buffer.getByte(i) != '\n') {
                continue;
            }
            byte next = buffer.getByte(i + 1);
            if (next == '\r' || next == '\n') {
                return false; // the blank line: the head ends here, a body may follow
            }
            if (isSpaceOrTab(next) && (i > start || headUnderway)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSpaceOrTab(byte b) {
        return b == ' ' || b == '\t';
    }

    private HttpRequest invalid(Exception cause) {
        HttpRequest request = (HttpRequest) createInvalidMessage();
        request.setDecoderResult(DecoderResult.failure(cause));
        return request;
    }
}
