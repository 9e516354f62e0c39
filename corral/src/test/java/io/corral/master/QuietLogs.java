package io.corral.master;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** The supervisor's unit tests run it thousands of times: its log lines would bury the test output. */
final class QuietLogs {
    private static Level before;

    private QuietLogs() {
    }

    static synchronized void off() {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        before = root.getLevel();
        root.setLevel(Level.OFF);
    }

    static synchronized void on() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(before);
    }
}
