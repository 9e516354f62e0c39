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
 * Netty's request decoder plus what it still lets through. Netty 4.2 rejects bare LF line ends (strict line parsing),
 * whitespace before a colon, invalid names and values, CL with TE, and a final coding other than chunked; the
 * {@link HeadScanner} adds an HTTP-version in the wrong case, obs-fold and duplicate Content-Length (which Netty
 * tolerates in HTTP/1.0). First after
 * {@link ConnectionGate}; event loop only.
 *
 * <p>It also fires {@link RequestHeadStarted} once per request, when the head's first byte arrives: the start of the
 * header clock in {@link ReadTimeouts}, which a client must not be able to restart by sending a line byte by byte.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {

    /** Fired down the pipeline when the first byte of a request head arrives. */
    enum RequestHeadStarted { INSTANCE }

    private final HeadScanner scanner = new HeadScanner();
    /** Between the end of a message and the end of the next head: bytes we see now belong to a head. */
    private boolean inHead = true;
    private boolean announced;
    /** Bytes past the reader index that the scanner has already seen. */
    private int scannedAhead;
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
            if (!announced) {
                announced = true;
                ctx.fireUserEventTriggered(RequestHeadStarted.INSTANCE);
            }
            String problem = scan(buffer);
            if (problem != null) {
                failed = true;
                buffer.skipBytes(buffer.readableBytes());
                out.add(invalid(new IllegalArgumentException(problem)));
                return;
            }
        }
        int before = buffer.readerIndex();
        int produced = out.size();
        super.decode(ctx, buffer, out);
        scannedAhead = Math.max(0, scannedAhead - (buffer.readerIndex() - before));
        for (int i = produced; i < out.size(); i++) {
            Object message = out.get(i);
            if (message instanceof HttpRequest) {
                inHead = false;
                announced = false;
            }
            if (message instanceof LastHttpContent) {
                inHead = true;
                scanner.reset();
                scannedAhead = 0;
            }
        }
    }

    /** Feeds the bytes not yet seen to the scanner; returns what is wrong, or null. */
    private String scan(ByteBuf buffer) {
        int from = buffer.readerIndex() + scannedAhead;
        int to = buffer.writerIndex();
        if (from >= to) {
            return null;
        }
        HeadScanner.Verdict verdict = scanner.feed(buffer, from, to);
        scannedAhead = (verdict == HeadScanner.Verdict.END ? scanner.end() : to) - buffer.readerIndex();
        return switch (verdict) {
            case BAD_VERSION -> "the request line does not end in HTTP/DIGIT.DIGIT (RFC 9112 section 2.3)";
            case OBS_FOLD -> "obsolete line folding (obs-fold) in a header";
            case DUPLICATE_CONTENT_LENGTH -> "more than one Content-Length field";
            case MORE, END -> null;
        };
    }

    private HttpRequest invalid(Exception cause) {
        HttpRequest request = (HttpRequest) createInvalidMessage();
        request.setDecoderResult(DecoderResult.failure(cause));
        return request;
    }
}
