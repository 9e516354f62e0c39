package io.corral.metrics;

import io.corral.config.Config;
import io.corral.config.LoggingSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gunicorn's StatsD client, in its datagram format ({@code gunicorn/instrument/statsd.py}):
 * {@code PREFIX.NAME:1|c|@1.0}, {@code :N|g}, {@code :MS|ms}, each with {@code |#TAGS} when there are dogstatsd tags.
 * One datagram per metric, over
 * a non-blocking UDP socket: a StatsD server that is down, slow or unresolvable costs a dropped datagram, never a
 * request (said once in the log). Safe from any thread.
 */
public final class Statsd implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Statsd.class);

    private final DatagramChannel channel;
    private final String prefix;
    private final String tags;
    private final AtomicBoolean saidDropped = new AtomicBoolean();

    private Statsd(DatagramChannel channel, String prefix, String tags) {
        this.channel = channel;
        this.prefix = prefix;
        this.tags = tags;
    }

    /** From {@code --statsd-host} and friends; null when no StatsD server is set, or its name does not resolve. */
    public static Statsd from(Config config) {
        InetSocketAddress target = config.get(LoggingSettings.STATSD_HOST);
        if (target == null) {
            return null;
        }
        var resolved = new InetSocketAddress(target.getHostString(), target.getPort());
        if (resolved.isUnresolved()) {
            log.warn("StatsD: cannot resolve {}; no metrics are sent", target.getHostString());
            return null;
        }
        try {
            DatagramChannel channel = DatagramChannel.open();
            channel.configureBlocking(false);
            channel.connect(resolved);
            return new Statsd(channel, prefix(config.get(LoggingSettings.STATSD_PREFIX)),
                    config.get(LoggingSettings.DOGSTATSD_TAGS));
        } catch (IOException e) {
            log.warn("StatsD: cannot send to {}: {}; no metrics are sent", target, e.toString());
            return null;
        }
    }

    /** Gunicorn's rule: a non-empty prefix ends with exactly one dot. */
    static String prefix(String prefix) {
        String bare = prefix.strip().replaceAll("\\.+$", "");
        return bare.isEmpty() ? "" : bare + ".";
    }

    /** A counter: {@code NAME:VALUE|c|@1.0}. */
    public void increment(String name, long value) {
        send(name + ":" + value + "|c|@1.0");
    }

    /** A gauge: {@code NAME:VALUE|g}. */
    public void gauge(String name, long value) {
        send(name + ":" + value + "|g");
    }

    /** A timer in milliseconds: {@code NAME:MS|ms}. */
    public void timer(String name, double millis) {
        send(name + ":" + String.format(Locale.ROOT, "%.3f", millis) + "|ms");
    }

    /** What Gunicorn sends for each answered request (its {@code access} hook). */
    public void request(int status, double millis) {
        timer("gunicorn.request.duration", millis);
        increment("gunicorn.requests", 1);
        increment("gunicorn.request.status." + status, 1);
    }

    /** The datagram {@link #send} writes for {@code metric}, for tests. */
    String datagram(String metric) {
        return prefix + metric + (tags.isEmpty() ? "" : "|#" + tags);
    }

    private void send(String metric) {
        try {
            channel.write(ByteBuffer.wrap(datagram(metric).getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {  // ECONNREFUSED from an earlier datagram, a full buffer: UDP's own losses
            if (saidDropped.compareAndSet(false, true)) {
                log.warn("StatsD: a metric was dropped ({}); later drops are not logged", e.toString());
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a datagram socket loses nothing
        }
    }
}
