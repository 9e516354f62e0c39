package io.corral.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON error-log line: one object whatever a worker wrote, and a trace inside it. */
class JsonLogLineTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final LoggerContext context = new LoggerContext();

    private LoggingEvent relayed(String line) {
        var event = new LoggingEvent("x", context.getLogger(Logs.PASSTHROUGH), Level.INFO, line, null, null);
        for (var pair : List.of(new KeyValuePair("worker", 3), new KeyValuePair("workerPid", 4121L),
                new KeyValuePair("generation", 2), new KeyValuePair("stream", "stdout"))) {
            event.addKeyValuePair(pair);
        }
        return event;
    }

    @Test
    void aLineOfThisProcessCarriesItsTraceInside() {
        var event = new LoggingEvent("x", context.getLogger("app"), Level.WARN, "it {} broke",
                new IllegalStateException("boom\nsecond line"), new Object[] {"really"});
        String line = JsonLogLine.of(event, 77, 3);
        assertThat(line).endsWith("\n").hasLineCount(1);
        JsonNode node = JSON.readTree(line);
        assertThat(node.get("level").asString()).isEqualTo("WARNING");
        assertThat(node.get("message").asString()).isEqualTo("it really broke");
        assertThat(node.get("pid").asLong()).isEqualTo(77);
        assertThat(node.get("worker").asInt()).isEqualTo(3);
        assertThat(node.get("exception").asString()).contains("boom\nsecond line").contains("\tat ");
    }

    @Test
    void aWorkersOwnLineGetsItsGenerationAndWhatItPrintedIsWrapped() {
        JsonNode own = JSON.readTree(JsonLogLine.relayed(relayed(
                "{\"time\":\"t\",\"level\":\"INFO\",\"pid\":4121,\"worker\":3,\"message\":\"Worker exiting\"}")));
        assertThat(own.get("generation").asInt()).isEqualTo(2);
        assertThat(own.get("message").asString()).isEqualTo("Worker exiting");
        assertThat(own.has("stream")).as("its own line, not a print").isFalse();

        for (String printed : List.of("Picked up JAVA_TOOL_OPTIONS: -Xmx1g", "{\"app\": \"printed an object\"}",
                "{not json", "[1, 2]")) {
            JsonNode wrapped = JSON.readTree(JsonLogLine.relayed(relayed(printed)));
            assertThat(wrapped.get("message").asString()).as(printed).isEqualTo(printed);
            assertThat(wrapped.get("stream").asString()).isEqualTo("stdout");
            assertThat(wrapped.get("pid").asLong()).isEqualTo(4121);
            assertThat(wrapped.get("worker").asInt()).isEqualTo(3);
            assertThat(wrapped.get("generation").asInt()).isEqualTo(2);
            assertThat(wrapped.has("time") && wrapped.has("level")).isTrue();
        }
    }
}
