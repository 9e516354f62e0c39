package io.corral.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a request before any app code runs, after the codec and before the body aggregator: decoder failures
 * (in the head or in a chunk), header count and size limits, Host, transfer codings, the request target, and
 * connections over the limit. A refused request is answered with its status and {@code Connection: close},
 * everything after it on the connection is discarded, and the connection closes once the answer is written, with a
 * lingering close ({@link LingeringClose}) so that a client still sending reads the answer rather than a reset.
 * Event loop only.
 */
final class RequestGuard extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RequestGuard.class);

    private final HttpLimits limits;
    private boolean refused;

    RequestGuard(HttpLimits limits) {
        this.limits = limits;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            BadRequest problem = inspect(ctx, request);
            if (problem != null) {
                ReferenceCountUtil.release(msg);
                refuse(ctx, problem);
                return;
            }
        } else if (msg instanceof HttpContent content && content.decoderResult().isFailure()) {
            // A bad chunk header or chunk terminator: the body's framing is lost, so is the connection.
            BadRequest problem = fromDecoder(content.decoderResult().cause());
            ReferenceCountUtil.release(msg);
            refuse(ctx, problem);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private BadRequest inspect(ChannelHandlerContext ctx, HttpRequest request) {
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            // Netty fails a request whose final coding is not chunked with an IllegalArgumentException once all
            // its fields are in; a coding we do not know is 501, not 400. Other failures keep their own status.
            if (result.cause() instanceof IllegalArgumentException
                    && checkTransferCoding(request.headers()) instanceof BadRequest.UnsupportedTransferCoding coding) {
                return coding;
            }
            return fromDecoder(result.cause());
        }
        if (ConnectionGate.isOverCapacity(ctx)) {
            return new BadRequest.OverCapacity("connection beyond --worker-connections " + limits.workerConnections());
        }
        HttpVersion version = request.protocolVersion();
        if (version.majorVersion() != 1 || version.minorVersion() > 1) {
            return new BadRequest.UnsupportedVersion(version.text());
        }
        BadRequest problem = checkFields(request.headers());
        if (problem == null) {
            problem = checkHost(request);
        }
        if (problem == null) {
            problem = checkTransferCoding(request.headers());
        }
        return problem == null ? checkTarget(request) : problem;
    }

    private static BadRequest fromDecoder(Throwable cause) {
        String detail = String.valueOf(cause.getMessage());
        return switch (cause) {
            case TooLongHttpLineException e -> new BadRequest.RequestLineTooLong(detail);
            case TooLongHttpHeaderException e -> new BadRequest.HeaderFieldsTooLarge(detail);
            case TooLongFrameException e -> new BadRequest.BodyTooLarge(detail);
            default -> new BadRequest.Malformed(cause.getClass().getSimpleName() + ": " + detail);
        };
    }

    private BadRequest checkFields(HttpHeaders headers) {
        if (headers.size() > limits.requestFields()) {
            return new BadRequest.HeaderFieldsTooLarge(headers.size() + " fields > --limit-request-fields "
                    + limits.requestFields());
        }
        for (var fields = headers.iteratorCharSequence(); fields.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> field = fields.next();
            // Gunicorn's measure: the whole field line, "Name: value".
            int size = field.getKey().length() + 2 + field.getValue().length();
            if (size > limits.requestFieldSize()) {
                return new BadRequest.HeaderFieldsTooLarge("field " + field.getKey() + " is " + size
                        + " bytes > --limit-request-field-size " + limits.requestFieldSize());
            }
        }
        return null;
    }

    private static BadRequest checkHost(HttpRequest request) {
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        boolean http11 = request.protocolVersion().minorVersion() == 1;
        if ((http11 && hosts.size() != 1) || hosts.size() > 1) {
            return new BadRequest.InvalidHost(hosts.size() + " Host headers");
        }
        if (!hosts.isEmpty() && !HostField.isValid(hosts.getFirst())) {
            return new BadRequest.InvalidHost("Host: " + hosts.getFirst());
        }
        return null;
    }

    /**
     * Chunked is the only transfer coding Corral decodes. Any other, wherever it stands in the list, is 501 (RFC 9112
     * §6.1), as Go's net/http and h11 answer too: the client learns that the server lacks a feature rather than that
     * its framing is wrong, and either way the connection closes, so §6.3's 400 for "chunked not last" adds nothing.
     * Chunked twice is 400: a sender must not apply it twice (§7), and a proxy may decode it once (Netty 4.2.18
     * refuses it already; the check stays so the rule does not hang on one Netty version).
     */
    private static BadRequest checkTransferCoding(HttpHeaders headers) {
        int chunked = 0;
        for (String field : headers.getAll(HttpHeaderNames.TRANSFER_ENCODING)) {
            for (String element : field.split(",", -1)) {
                String coding = element.strip();
                if (coding.isEmpty()) {
                    continue;  // an empty list element is ignored (RFC 9110 §5.6.1)
                }
                if (!coding.equalsIgnoreCase("chunked")) {
                    return new BadRequest.UnsupportedTransferCoding("Transfer-Encoding: " + field);
                }
                chunked++;
            }
        }
        return chunked > 1 ? new BadRequest.Malformed("chunked applied more than once") : null;
    }

    private static BadRequest checkTarget(HttpRequest request) {
        String target = request.uri();
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return new BadRequest.InvalidTarget("byte 0x" + Integer.toHexString(c) + " in the target");
            }
        }
        boolean originForm = target.startsWith("/");
        boolean asteriskForm = target.equals("*") && request.method().equals(HttpMethod.OPTIONS);
        boolean absoluteForm = target.startsWith("http://") || target.startsWith("https://");
        if (!originForm && !asteriskForm && !absoluteForm) {
            return new BadRequest.InvalidTarget("target is not origin-, absolute- or asterisk-form");
        }
        return null;
    }

    private void refuse(ChannelHandlerContext ctx, BadRequest problem) {
        refused = true;
        log.info("{} {} from {}: {}", BadRequest.status(problem).code(), problem.reason(),
                ctx.channel().remoteAddress(), Failures.printable(problem.detail()));
        ctx.writeAndFlush(ErrorResponses.refusal(problem)).addListener(LingeringClose.AFTER_WRITE);
    }
}
