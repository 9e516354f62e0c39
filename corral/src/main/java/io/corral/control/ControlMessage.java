package io.corral.control;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;

/**
 * What master and worker say to each other over a worker's control channel, after the listening sockets have been
 * passed (as {@code SCM_RIGHTS}, before any of these). One JSON object per length-prefixed frame.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ControlMessage.Hello.class, name = "hello"),
        @JsonSubTypes.Type(value = ControlMessage.Ready.class, name = "ready"),
        @JsonSubTypes.Type(value = ControlMessage.Heartbeat.class, name = "heartbeat"),
        @JsonSubTypes.Type(value = ControlMessage.BootFailed.class, name = "boot-failed"),
        @JsonSubTypes.Type(value = ControlMessage.Configure.class, name = "configure"),
        @JsonSubTypes.Type(value = ControlMessage.Stop.class, name = "stop"),
        @JsonSubTypes.Type(value = ControlMessage.ReopenLogs.class, name = "reopen-logs")})
public sealed interface ControlMessage {

    /** Worker → master: I have the sockets; send my configuration. */
    record Hello(int workerId) implements ControlMessage {
    }

    /** Worker → master: the app has started and I am accepting on every socket. */
    record Ready() implements ControlMessage {
    }

    /** Worker → master, every second while every event loop is alive: requests and WebSocket sessions served. */
    record Heartbeat(long served) implements ControlMessage {
    }

    /** Worker → master, just before exiting with {@code exitCode}: why it could not boot. */
    record BootFailed(int exitCode, String reason) implements ControlMessage {
    }

    /**
     * Master → worker: the app class and the settings that differ from their defaults (raw values, per setting name),
     * and for each socket passed, in order, whether it is {@code tcp} or {@code unix}.
     */
    record Configure(String appClass, Map<String, List<String>> settings, List<String> socketKinds)
            implements ControlMessage {
    }

    /** Master → worker: stop, as {@code how} says. */
    record Stop(StopMode how) implements ControlMessage {
    }

    /** How a worker stops. */
    enum StopMode {
        /** Finish in-flight requests within --graceful-timeout; the service is stopping: WebSockets get 1001. */
        GRACEFUL,
        /** As GRACEFUL, but the service goes on without it (reload, TTOU, --max-requests): WebSockets get 1012. */
        REPLACED,
        /** Now: what it was answering is cut off (INT, a reload that failed). */
        NOW
    }

    /** Master → worker: reopen the access log (USR1). */
    record ReopenLogs() implements ControlMessage {
    }
}
