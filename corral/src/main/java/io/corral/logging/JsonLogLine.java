package io.corral.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.slf4j.event.KeyValuePair;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code --log-format json}: one JSON object per line, for a log shipper. {@code time} (ISO 8601 with the offset),
 * {@code level} (Gunicorn's names), {@code pid}; a worker's lines add {@code worker} and, as the master relays them,
 * {@code generation}; then {@code logger}, {@code message} and {@code exception} (the whole trace, in the line).
 * What a worker printed that is not such a line (the JVM's own output, the app's prints) is wrapped in one, with
 * {@code stream}.
 */
final class JsonLogLine {
    /** The key-value pairs the master's relay adds to a worker's line (see WorkerOutput). */
    static final String WORKER = "worker";
    static final String WORKER_PID = "workerPid";
    static final String GENERATION = "generation";
    static final String STREAM = "stream";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private JsonLogLine() {
    }

    /** A line of this process. */
    static String of(ILoggingEvent event, long pid, Integer worker) {
        ObjectNode line = JSON.createObjectNode();
        line.put("time", time(event.getTimeStamp()));
        line.put("level", ErrorLogLayout.levelName(event));
        line.put("pid", pid);
        if (worker != null) {
            line.put(WORKER, worker);
        }
        line.put("logger", event.getLoggerName());
        line.put("message", event.getFormattedMessage());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.put("exception", ThrowableProxyUtil.asString(thrown));
        }
        return JSON.writeValueAsString(line) + "\n";
    }

    /**
     * A worker's output, relayed: its own JSON line with the generation added, or what it printed wrapped in one
     * ({@code level} INFO, the worker's pid and ids, the stream it came on).
     */
    static String relayed(ILoggingEvent event) {
        String text = event.getFormattedMessage();
        ObjectNode line = null;
        boolean wrapped = false;
        if (text.startsWith("{")) {
            try {
                JsonNode parsed = JSON.readTree(text);
                // A worker's own line has these; an object the app printed is wrapped like any other text.
                if (parsed instanceof ObjectNode object && object.path("time").isString()
                        && object.path("level").isString() && object.path("message").isString()) {
                    line = object;
                }
            } catch (RuntimeException notJson) {
                // printed text that starts with a brace: wrapped below
            }
        }
        if (line == null) {
            wrapped = true;
            line = JSON.createObjectNode();
            line.put("time", time(event.getTimeStamp()));
            line.put("level", "INFO");
            line.put("message", text);
        }
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                String key = pair.key.equals(WORKER_PID) ? "pid" : pair.key;
                if (key.equals(STREAM) && !wrapped) {
                    continue;  // the worker's own line: its stream says nothing
                }
                if (!line.has(key) || key.equals(GENERATION)) {
                    line.putPOJO(key, pair.value);
                }
            }
        }
        return JSON.writeValueAsString(line) + "\n";
    }

    private static String time(long millis) {
        return TIME.format(OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneId.systemDefault()));
    }
}
