package io.corral.config;

import java.util.List;

/** What the error log shows. */
public final class LoggingSettings {
    private LoggingSettings() {
    }

    public static final Setting<String> LOG_LEVEL = Setting.of("log-level", Section.LOGGING, "LEVEL",
            Parsers.oneOf("debug", "info", "warning", "error", "critical"), "info",
            "Error-log level: debug, info, warning, error or critical.");

    static final List<Setting<?>> ALL = List.of(LOG_LEVEL);
}
