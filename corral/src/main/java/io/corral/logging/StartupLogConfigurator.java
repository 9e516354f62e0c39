package io.corral.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Logback's configuration from the first logger until {@link Logs} sets up the real logs (and for the tools, such
 * as bin/corral-migrate, for good): Gunicorn's error-log line on stderr. In code, found through
 * {@code META-INF/services}, rather than a logback.xml: Joran, Logback's XML configurator, and the JDK's XML parser
 * are some 400 classes that the master and every worker would load, link and keep in metaspace to read five
 * elements.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_TOP_PRIORITY)
public final class StartupLogConfigurator extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;  // an operator's own file: Logback's Joran reads it
        }
        var encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("[%d{\"yyyy-MM-dd HH:mm:ss Z\"}] [" + System.getProperty("PID", "0") + "] [%level] %msg%n");
        encoder.start();
        var stderr = new ConsoleAppender<ILoggingEvent>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        // corral and its workers set their levels from the log-level setting; the tools from this property.
        root.setLevel(Level.toLevel(System.getProperty("corral.log.level"), Level.INFO));
        root.addAppender(stderr);
        for (String chatty : Logs.CHATTY) {
            context.getLogger(chatty).setLevel(Level.WARN);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
