package io.corral.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Gunicorn's error-log line, {@code [2026-11-25 12:00:00 +0000] [4121] [INFO] message}, plus the stack trace when
 * there is one. Lines logged to {@link Logs#PASSTHROUGH} are written as they are: they are workers' own lines (already
 * formatted, with the worker's pid) and what workers printed, relayed by the master. With {@code --log-format json},
 * {@link JsonLogLine}'s objects instead.
 */
final class ErrorLogLayout extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z").withZone(ZoneId.systemDefault());
    private final String pid = Long.toString(ProcessHandle.current().pid());

    @Override
    public String doLayout(ILoggingEvent event) {
        if (Logs.json()) {
            return Logs.PASSTHROUGH.equals(event.getLoggerName()) ? JsonLogLine.relayed(event)
                    : JsonLogLine.of(event, ProcessHandle.current().pid(), Logs.worker());
        }
        if (Logs.PASSTHROUGH.equals(event.getLoggerName())) {
            return event.getFormattedMessage() + "\n";
        }
        var line = new StringBuilder(128)
                .append('[').append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append("] [")
                .append(pid).append("] [").append(levelName(event)).append("] ")
                .append(event.getFormattedMessage()).append('\n');
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown)).append('\n');
        }
        return line.toString();
    }

    /** Gunicorn's level names: WARNING, not WARN. */
    static String levelName(ILoggingEvent event) {
        String level = event.getLevel().toString();
        return level.equals("WARN") ? "WARNING" : level;
    }
}
