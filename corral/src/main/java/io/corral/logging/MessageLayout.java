package io.corral.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;

/** The message and a newline: access-log lines arrive formatted. */
final class MessageLayout extends LayoutBase<ILoggingEvent> {
    @Override
    public String doLayout(ILoggingEvent event) {
        return event.getFormattedMessage() + "\n";
    }
}
