package io.corral.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * The process's logs, set up in code from the settings: the error log (a file, or stderr) and the access log (a file,
 * stdout, or off). Each file is opened in append mode and reopened by {@link #reopen()} (USR1, after logrotate moved
 * it). Lines are written one event per write, so lines from different processes appending to one file do not mix.
 * A log that cannot be opened is an error the caller sees, never a silence: at start it stops the process, on reopen
 * the file already open is kept.
 */
public final class Logs {
    /** Lines written to the error log verbatim: workers' own log lines and output, relayed by the master. */
    public static final String PASSTHROUGH = "corral.passthrough";
    /** Access-log lines, already formatted by the worker. */
    public static final String ACCESS = "corral.access";
    /**
     * The master's lines an operator watches (listening, ready, reloads, signals, stop). With the error log in a
     * file they go to stderr as well, with every warning and error, so the journal has them whatever that file is.
     */
    public static final Marker LIFECYCLE = MarkerFactory.getMarker("LIFECYCLE");
    /**
     * Loggers held at WARN: Netty logs its native-transport probing (with stack traces), Lettuce every reconnect
     * attempt; the broker says what matters once.
     */
    static final List<String> CHATTY = List.of("io.netty", "io.lettuce", "reactor");

    private static volatile boolean json;
    private static volatile Integer worker;
    private static OutputStreamAppender<ILoggingEvent> errorAppender;
    private static OutputStreamAppender<ILoggingEvent> accessAppender;

    private Logs() {
    }

    /** The error log's format from now on: {@code text} or {@code json} ({@code --log-format}). */
    public static void format(String format) {
        json = format.equals("json");
    }

    /** This process is worker {@code id}: its JSON lines say so. */
    public static void identify(int id) {
        worker = id;
    }

    /** The error log's format in this process, as {@link #format(String)} set it. */
    public static String format() {
        return json ? "json" : "text";
    }

    static boolean json() {
        return json;
    }

    static Integer worker() {
        return worker;
    }

    /** The error log on stderr, as a worker writes it (the master relays it into the real error log). */
    public static synchronized void errorLogToStderr(String level) {
        Logger root = setUpRoot(level);
        errorAppender = console(context(), "error-log", true, null);
        root.addAppender(errorAppender);
    }

    /**
     * The error log at {@code target} ("-" for stderr) with Gunicorn's level names; replaces any earlier setup. A
     * file that cannot be opened leaves the log on stderr and throws, with what and why.
     */
    public static synchronized void errorLog(String target, String level) throws IOException {
        if (target.equals("-")) {
            errorLogToStderr(level);
            return;
        }
        Logger root = setUpRoot(level);
        root.addAppender(console(context(), "lifecycle", true, new LifecycleOnly()));
        try {
            errorAppender = file(context(), target, "error-log", new ErrorLogLayout());
        } catch (IOException e) {
            errorAppender = null;
            throw new IOException("cannot open the error log " + FileErrors.why(e), e);
        }
        root.addAppender(errorAppender);
    }

    private static Logger setUpRoot(String level) {
        LoggerContext context = context();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.setLevel(toLevel(level));
        for (String noisy : CHATTY) {
            context.getLogger(noisy).setLevel(Level.WARN);
        }
        context.getLogger(PASSTHROUGH).setLevel(Level.ALL);
        return root;
    }

    /** The access log at {@code target} ("-" for stdout), or none when {@code target} is null. */
    public static synchronized void accessLog(String target) throws IOException {
        LoggerContext context = context();
        Logger access = context.getLogger(ACCESS);
        access.detachAndStopAllAppenders();
        access.setAdditive(false);
        accessAppender = null;
        if (target == null) {
            access.setLevel(Level.OFF);
            return;
        }
        access.setLevel(Level.INFO);
        try {
            accessAppender = target.equals("-") ? console(context, "access-log", false, null)
                    : file(context, target, "access-log", new MessageLayout());
        } catch (IOException e) {
            access.setLevel(Level.OFF);
            throw new IOException("cannot open the access log " + FileErrors.why(e), e);
        }
        access.addAppender(accessAppender);
    }

    /** Whether {@code target} (a log file) can be opened for appending, created if need be; else what is wrong. */
    public static void checkWritable(String target) throws IOException {
        if (target != null && !target.equals("-")) {
            Files.newOutputStream(Path.of(target), StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
        }
    }

    /**
     * Reopens the log files at their paths (USR1): logrotate has moved the old ones away. A file that cannot be
     * opened now keeps the one open before, so no line is lost; returns what could not be reopened, and why.
     */
    public static synchronized List<String> reopen() {
        var problems = new ArrayList<String>();
        Logger root = context().getLogger(Logger.ROOT_LOGGER_NAME);
        Logger access = context().getLogger(ACCESS);
        if (errorAppender instanceof FileAppender<ILoggingEvent> old) {
            errorAppender = reopened(old, root, new ErrorLogLayout(), "error log", problems);
        }
        if (accessAppender instanceof FileAppender<ILoggingEvent> old) {
            accessAppender = reopened(old, access, new MessageLayout(), "access log", problems);
        }
        return problems;
    }

    private static FileAppender<ILoggingEvent> reopened(FileAppender<ILoggingEvent> old, Logger logger,
                                                        ch.qos.logback.core.Layout<ILoggingEvent> layout,
                                                        String what, List<String> problems) {
        FileAppender<ILoggingEvent> fresh;
        try {
            fresh = file(context(), old.getFile(), old.getName(), layout);
        } catch (IOException e) {
            problems.add("cannot reopen the " + what + " " + FileErrors.why(e) + "; still writing to the file "
                    + "it had open");
            return old;
        }
        // The new one first: a line logged in between goes to both files rather than to neither.
        logger.addAppender(fresh);
        logger.detachAppender(old);
        old.stop();
        return fresh;
    }

    private static FileAppender<ILoggingEvent> file(LoggerContext context, String target, String name,
                                                   ch.qos.logback.core.Layout<ILoggingEvent> layout)
            throws IOException {
        String path = Path.of(target).toAbsolutePath().toString();
        checkWritable(path);  // for the reason: Logback only records that it failed, in its status list
        var file = new FileAppender<ILoggingEvent>();
        file.setFile(path);
        file.setAppend(true);
        start(context, file, name, layout);
        if (!file.isStarted()) {
            throw new IOException(path + ": cannot be opened for appending");
        }
        return file;
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext context, String name, boolean stderr,
                                                         Filter<ILoggingEvent> filter) {
        var console = new ConsoleAppender<ILoggingEvent>();
        console.setTarget(stderr ? "System.err" : "System.out");
        if (filter != null) {
            filter.start();
            console.addFilter(filter);
        }
        start(context, console, name, stderr ? new ErrorLogLayout() : new MessageLayout());
        return console;
    }

    private static void start(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender, String name,
                              ch.qos.logback.core.Layout<ILoggingEvent> layout) {
        layout.setContext(context);
        layout.start();
        var encoder = new LayoutWrappingEncoder<ILoggingEvent>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        appender.setContext(context);
        appender.setName(name);
        appender.setEncoder(encoder);
        appender.setImmediateFlush(true);
        appender.start();
    }

    /** For stderr beside an error-log file: the master's lifecycle lines, warnings and errors; no worker lines. */
    private static final class LifecycleOnly extends Filter<ILoggingEvent> {
        @Override
        public FilterReply decide(ILoggingEvent event) {
            if (PASSTHROUGH.equals(event.getLoggerName())) {
                return FilterReply.DENY;
            }
            boolean lifecycle = event.getMarkerList() != null && event.getMarkerList().contains(LIFECYCLE);
            return lifecycle || event.getLevel().isGreaterOrEqual(Level.WARN) ? FilterReply.NEUTRAL
                    : FilterReply.DENY;
        }
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
