package io.corral.http;

import io.corral.config.AccessLogFormat;
import io.corral.config.Config;
import io.corral.config.LoggingSettings;
import io.corral.config.SecuritySettings;
import io.corral.config.WorkerSettings;
import io.corral.ws.WsHandshake;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.util.concurrent.Executor;

/** Builds each connection's pipeline, one concern per handler, in the order a request meets them. */
final class HttpInitializer extends ChannelInitializer<Channel> {
    private final Config config;
    private final HttpLimits limits;
    private final ConnectionGate gate;
    private final RouteTable routes;
    private final Executor handlers;
    private final ServingState state;
    private final WsHandshake handshake;
    private final BodyRate bodyRate;
    /** Null when --access-logfile is not set: then the handler is not installed at all. */
    private final AccessLogFormat accessLog;
    /** Null without --statsd-host: then no handler is installed. */
    private final io.corral.metrics.Statsd statsd;

    HttpInitializer(Config config, ConnectionGate gate, RouteTable routes, Executor handlers, ServingState state,
                    WsHandshake handshake) {
        this.config = config;
        this.limits = HttpLimits.from(config);
        this.gate = gate;
        this.routes = routes;
        this.handlers = handlers;
        this.state = state;
        this.handshake = handshake;
        this.bodyRate = new BodyRate(config.get(WorkerSettings.MIN_BODY_RATE));
        this.accessLog = config.get(LoggingSettings.ACCESS_LOGFILE) == null ? null
                : AccessLogFormat.compile(config.get(LoggingSettings.ACCESS_LOGFORMAT));
        this.statsd = io.corral.metrics.Statsd.from(config);
    }

    /**
     * The same pipelines with no access log and no metrics: for the worker's own warm-up requests, which no client
     * sent.
     */
    ChannelInitializer<Channel> forWarmUp() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                HttpInitializer.this.initChannel(ch);
                for (String clientsOnly : new String[] {"access-log", "request-stats"}) {
                    if (ch.pipeline().get(clientsOnly) != null) {
                        ch.pipeline().remove(clientsOnly);
                    }
                }
            }
        };
    }

    @Override
    protected void initChannel(Channel ch) {
        var decoderConfig = new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.requestLine())
                .setMaxHeaderSize(limits.headerBytes())
                .setStrictLineParsing(true)
                .setUseRfc9112TransferEncoding(true);
        double keepAlive = config.get(WorkerSettings.KEEP_ALIVE);
        ch.pipeline()
                .addLast("gate", gate)
                // Encoder before decoder: on an upgrade Netty puts the frame encoder before the HTTP encoder, so the
                // close frame the frame decoder sends on a protocol violation passes through it.
                .addLast("encoder", new HttpResponseEncoder())
                .addLast("decoder", new StrictRequestDecoder(decoderConfig))
                .addLast("sequencer", new RequestSequencer())
                .addLast("timeouts", new ReadTimeouts(keepAlive, config.get(WorkerSettings.HEADER_TIMEOUT),
                        config.get(WorkerSettings.SEND_TIMEOUT), bodyRate))
                .addLast("guard", new RequestGuard(limits))
                .addLast("uploads", new UploadSplitter(routes))
                .addLast("aggregator", new BodyAggregator(limits.requestBody()))
                .addLast("keep-alive", new HttpServerKeepAliveHandler());
        if (accessLog != null) {
            var trusted = config.get(SecuritySettings.FORWARDED_ALLOW_IPS);
            ch.pipeline().addLast("access-log", new AccessLog(accessLog, trusted));
        }
        if (statsd != null) {
            ch.pipeline().addLast("request-stats", new RequestStats(statsd));
        }
        ch.pipeline()
                .addLast("dispatcher", new Dispatcher(routes, handlers,
                        config.get(SecuritySettings.FORWARDED_ALLOW_IPS), keepAlive > 0, state, handshake));
    }
}
