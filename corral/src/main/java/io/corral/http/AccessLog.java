package io.corral.http;

import io.corral.config.AccessLogFormat;
import io.corral.config.TrustedProxies;
import io.corral.logging.Logs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One access-log line per answered request, in {@code --access-logformat}, written when the response's last byte is
 * handed to the socket. Before the {@link Dispatcher}; installed only when {@code --access-logfile} is set. Sees one
 * request at a time ({@link RequestSequencer}). Event loop only: the line is built here and handed to the log.
 */
final class AccessLog extends ChannelDuplexHandler {
    private static final Logger access = LoggerFactory.getLogger(Logs.ACCESS);
    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("'['dd/MMM/yyyy:HH:mm:ss Z']'", Locale.ROOT);
    private static final String PID = Long.toString(ProcessHandle.current().pid());

    private final AccessLogFormat format;
    private final TrustedProxies trusted;

    private String method;
    private String uri;
    private String protocol;
    private HttpHeaders requestHeaders;
    private String client;
    private long startNanos;
    private ZonedDateTime startTime;
    private HttpResponse response;
    private long bytes;

    AccessLog(AccessLogFormat format, TrustedProxies trusted) {
        this.format = format;
        this.trusted = trusted;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        HttpRequest request = msg instanceof FullHttpRequest full ? full
                : msg instanceof UploadSplitter.StreamedRequest streamed ? streamed.head() : null;
        if (request != null) {
            method = request.method().name();
            uri = request.uri();
            protocol = request.protocolVersion().text();
            requestHeaders = request.headers();
            client = ClientAddress.of(ctx.channel().remoteAddress(), request.headers(), trusted);
            startNanos = System.nanoTime();
            startTime = ZonedDateTime.now(ZoneId.systemDefault());
            response = null;
            bytes = 0;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse r && r.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            response = r;
        }
        if (msg instanceof ByteBufHolder holder) {
            bytes += holder.content().readableBytes();
        } else if (msg instanceof ByteBuf buf) {
            bytes += buf.readableBytes();
        }
        if (msg instanceof LastHttpContent && response != null && method != null) {
            access.info(line());
            method = null;
        }
        ctx.write(msg, promise);
    }

    private String line() {
        long micros = (System.nanoTime() - startNanos) / 1000;
        var out = new StringBuilder(160);
        for (AccessLogFormat.Part part : format.parts()) {
            if (part.literal() != null) {
                out.append(part.literal());
            } else if (part.atom() != null) {
                out.append(atom(part.atom(), micros));
            } else {
                String value = switch (part.kind()) {
                    case 'i' -> requestHeaders.get(part.name());
                    case 'o' -> response.headers().get(part.name());
                    default -> System.getenv(part.name());
                };
                out.append(value == null ? "-" : Failures.printable(value));
            }
        }
        return out.toString();
    }

    private String atom(String atom, long micros) {
        return switch (atom) {
            case "h" -> client;
            case "l", "u" -> "-";
            case "t" -> CLF_TIME.format(startTime);
            case "r" -> method + " " + Failures.printable(uri) + " " + protocol;
            case "m" -> method;
            case "U" -> Failures.printable(uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri);
            case "q" -> Failures.printable(uri.contains("?") ? uri.substring(uri.indexOf('?') + 1) : "");
            case "H" -> protocol;
            case "s" -> Integer.toString(response.status().code());
            case "B" -> Long.toString(bytes);
            case "b" -> bytes == 0 ? "-" : Long.toString(bytes);
            case "f" -> header("Referer");
            case "a" -> header("User-Agent");
            case "T" -> Long.toString(micros / 1_000_000);
            case "M" -> Long.toString(micros / 1000);
            case "D" -> Long.toString(micros);
            case "L" -> String.format(Locale.ROOT, "%.6f", micros / 1e6);
            case "p" -> "<" + PID + ">";
            default -> "-";
        };
    }

    private String header(String name) {
        String value = requestHeaders.get(name);
        return value == null ? "-" : Failures.printable(value);
    }
}
