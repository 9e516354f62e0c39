package io.corral.config;

import java.util.List;

/** The error log and the access log. */
public final class LoggingSettings {
    private LoggingSettings() {
    }

    /** Gunicorn's default access-log format. */
    public static final String GUNICORN_ACCESS_FORMAT =
            "%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\"";

    public static final Setting<String> ACCESS_LOGFILE = Setting.of("access-logfile", Section.LOGGING, "FILE",
            Parsers.text(false), null,
            "Access log: a file path, or '-' for stdout. Off when not given.");

    public static final Setting<String> ACCESS_LOGFORMAT = Setting.of("access-logformat", Section.LOGGING, "FORMAT",
            AccessLogFormat::validate, GUNICORN_ACCESS_FORMAT,
            "Access-log line, with Gunicorn's %(x)s atoms (h l u t r m U q H s b B f a T D M p {header}i {header}o).");

    public static final Setting<String> ERROR_LOGFILE = Setting.of("error-logfile", Section.LOGGING, "FILE",
            Parsers.text(false), "-",
            "Error log of the master and every worker: a file path, or '-' for stderr.", "--log-file");

    public static final Setting<String> LOG_LEVEL = Setting.of("log-level", Section.LOGGING, "LEVEL",
            Parsers.oneOf("debug", "info", "warning", "error", "critical"), "info",
            "Error-log level: debug, info, warning, error or critical.");

    public static final Setting<String> LOG_FORMAT = Setting.of("log-format", Section.LOGGING, "FORMAT",
            Parsers.oneOf("text", "json"), "text",
            "Error-log format: text (Gunicorn's line) or json (one object per line: time, level, pid, worker, "
                    + "generation, logger, message, exception). The access log keeps --access-logformat.");

    public static final Setting<java.net.InetSocketAddress> STATSD_HOST = Setting.of("statsd-host", Section.LOGGING,
            "HOST:PORT", Parsers.hostPort(), null,
            "A StatsD server to send Gunicorn's metrics to over UDP: gunicorn.requests, gunicorn.request.duration, "
                    + "gunicorn.request.status.NNN from each worker, gunicorn.workers from the master.");

    public static final Setting<String> STATSD_PREFIX = Setting.of("statsd-prefix", Section.LOGGING, "PREFIX",
            Parsers.text(true), "", "Prepended to every StatsD metric name, with a dot (as Gunicorn does).");

    public static final Setting<String> DOGSTATSD_TAGS = Setting.of("dogstatsd-tags", Section.LOGGING, "TAGS",
            Parsers.statsdTags(), "", "DogStatsD tags added to every StatsD metric (env:prod,team:chat).");

    public static final Setting<Boolean> CAPTURE_OUTPUT = Setting.toggle("capture-output", Section.LOGGING,
            "Send what workers print to stdout and stderr into the error log.");

    public static final Setting<Boolean> ENABLE_STDIO_INHERITANCE = Setting.toggle("enable-stdio-inheritance",
            Section.LOGGING, "Accepted for Gunicorn compatibility: Corral never daemonizes, stdio is inherited.");

    static final List<Setting<?>> ALL = List.of(ACCESS_LOGFILE, ACCESS_LOGFORMAT, ERROR_LOGFILE, LOG_LEVEL,
            LOG_FORMAT, STATSD_HOST, STATSD_PREFIX, DOGSTATSD_TAGS, CAPTURE_OUTPUT, ENABLE_STDIO_INHERITANCE);
}
