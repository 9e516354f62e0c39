package io.corral.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The process's logs, set up in code from the settings: the error log (a file, or stderr) and the access log (a file,
 * stdout, or off). Each file is opened in append mode and reopened by {@link #reopen()} (USR1, after logrotate moved
 * it). Lines are written one event per write, so lines from different processes appending to one file do not mix.
 */
public final class Logs {
    /** Lines written to the error log verbatim: workers' own log lines and output, relayed by the master. */
    public static final String PASSTHROUGH = "corral.passthrough";
    /** Access-log lines, already formatted by the worker. */
    public static final String ACCESS = "corral.access";

    private static OutputStreamAppender<ILoggingEvent> errorAppender;
    private static OutputStreamAppender<ILoggingEvent> accessAppender;

    private Logs() {
    }

    /** The error log at {@code target} ("-" for stderr) with Gunicorn's level names; replaces any earlier setup. */
    public static synchronized void errorLog(String target, String level) {
        LoggerContext context = context();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        errorAppender = appender(context, target, "error-log", new ErrorLogLayout(), true);
        root.addAppender(errorAppender);
        root.setLevel(toLevel(level));
        // Netty logs its native-transport probing, Lettuce every reconnect attempt: the broker says what matters.
        for (String noisy : new String[] {"io.netty", "io.lettuce", "reactor"}) {
            context.getLogger(noisy).setLevel(Level.WARN);
        }
        Logger passthrough = context.getLogger(PASSTHROUGH);
        passthrough.setLevel(Level.ALL);
    }

    /** The access log at {@code target} ("-" for stdout), or none when {@code target} is null. */
    public static synchronized void accessLog(String target) {
        LoggerContext context = context();
        Logger access = context.getLogger(ACCESS);
        access.detachAndStopAllAppenders();
        access.setAdditive(false);
        if (target == null) {
            access.setLevel(Level.OFF);
            accessAppender = null;
            return;
        }
        access.setLevel(Level.INFO);
        accessAppender = appender(context, target, "access-log", new MessageLayout(), false);
        access.addAppender(accessAppender);
    }

    /** Reopens the log files at their paths (USR1): logrotate has moved the old ones away. */
    public static synchronized void reopen() {
        for (var appender : java.util.Arrays.asList(errorAppender, accessAppender)) {
            if (appender instanceof FileAppender<ILoggingEvent> file) {
                file.stop();
                file.start();
            }
        }
    }

    private static OutputStreamAppender<ILoggingEvent> appender(LoggerContext context, String target, String name,
                                                               ch.qos.logback.core.Layout<ILoggingEvent> layout,
                                                               boolean stderr) {
        layout.setContext(context);
        layout.start();
        var encoder = new LayoutWrappingEncoder<ILoggingEvent>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender;
        if (target.equals("-")) {
            var console = new ConsoleAppender<ILoggingEvent>();
            console.setTarget(stderr ? "System.err" : "System.out");
            appender = console;
        } else {
            var file = new FileAppender<ILoggingEvent>();
            file.setFile(Path.of(target).toAbsolutePath().toString());
            file.setAppend(true);
            appender = file;
        }
        appender.setContext(context);
        appender.setName(name);
        appender.setEncoder(encoder);
        appender.setImmediateFlush(true);
        appender.start();
        return appender;
    }

    private static Level toLevel(String level) {
        return switch (level) {
            case "debug" -> Level.DEBUG;
            case "warning" -> Level.WARN;
            case "error", "critical" -> Level.ERROR;
            default -> Level.INFO;
        };
    }

    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }
}
