package io.corral.http;

import io.corral.metrics.Statsd;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Gunicorn's per-request StatsD metrics ({@code --statsd-host}): when a response's last byte is handed to the
 * socket, its duration, one request, and one of its status. Where the access log sees requests, and the same ones;
 * installed only when a StatsD server is set. One request at a time ({@link RequestSequencer}); event loop only.
 */
final class RequestStats extends ChannelDuplexHandler {
    private final Statsd statsd;
    private long startNanos;
    private int status;

    RequestStats(Statsd statsd) {
        this.statsd = statsd;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest || msg instanceof UploadSplitter.StreamedRequest) {
            startNanos = System.nanoTime();
            status = 0;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            status = response.status().code();
        }
        if (msg instanceof LastHttpContent && status != 0 && startNanos != 0) {
            statsd.request(status, (System.nanoTime() - startNanos) / 1e6);
            startNanos = 0;
        }
        ctx.write(msg, promise);
    }
}
