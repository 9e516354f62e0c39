package io.corral.chat;

import io.corral.testing.CorralProcess;
import io.corral.testing.RawClient;
import io.corral.testing.RawResponse;
import io.corral.testing.RawWebSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Connections to a chosen worker of a running Corral: the kernel spreads connections over the workers, so connect
 * until one lands on the wanted worker ({@link CorralProcess#workerServing}). For rules that must hold across
 * workers: a request through one, a socket held by the other.
 */
final class WorkerConnections {
    private final CorralProcess corral;

    WorkerConnections(CorralProcess corral) {
        this.corral = corral;
    }

    long[] workers() {
        return corral.workers().stream().mapToLong(ProcessHandle::pid).sorted().toArray();
    }

    /** A {@code /ws} socket on {@code worker}, signed in with {@code token} (its {@code ready} read). */
    RawWebSocket socketOn(long worker, String token) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            var ws = RawWebSocket.connect(corral.port(), "/ws");
            if (corral.workerServing(ws.socket()) == worker) {
                ws.sendText(ChatClient.JSON.writeValueAsString(Map.of("type", "auth", "token", token)));
                JsonNode ready = next(ws, "ready");
                if (ready == null) {
                    throw new AssertionError("no ready for the token: closed");
                }
                return ws;
            }
            ws.close();
        }
        throw new AssertionError("200 connections and none on worker " + worker);
    }

    /** One HTTP request on a connection to {@code worker}; {@code headers} as "Name: value\r\n" lines. */
    RawResponse call(long worker, String method, String path, String token, Object body, String headers)
            throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            try (var client = new RawClient(corral.port())) {
                if (corral.workerServing(client.socket()) != worker) {
                    continue;
                }
                byte[] json = body == null ? new byte[0] : ChatClient.JSON.writeValueAsBytes(body);
                String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + corral.port() + "\r\n"
                        + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                        + (body == null ? "" : "Content-Type: application/json\r\n")
                        + "Content-Length: " + json.length + "\r\nConnection: close\r\n" + headers + "\r\n";
                client.send(head.getBytes(StandardCharsets.ISO_8859_1));
                client.send(json);
                return client.read();
            }
        }
        throw new AssertionError("200 connections and none on worker " + worker);
    }

    /** A socket at {@code port}'s /ws, signed in as {@code client}'s session (its "ready" frame read). */
    static RawWebSocket signedIn(int port, ChatClient client) throws IOException {
        var ws = RawWebSocket.connect(port, "/ws");
        ws.sendText("{\"type\": \"auth\", \"token\": \"" + client.token() + "\"}");
        if (next(ws, "ready") == null) {
            throw new AssertionError("no ready frame");
        }
        return ws;
    }

    /** The next text frame whose {@code type} is {@code type}, skipping others; null when the socket closes first. */
    static JsonNode next(RawWebSocket ws, String type) throws IOException {
        while (true) {
            RawWebSocket.Frame frame = ws.read();
            if (frame.opcode() == RawWebSocket.CLOSE) {
                return null;
            }
            if (frame.opcode() == RawWebSocket.TEXT) {
                JsonNode message = ChatClient.JSON.readTree(frame.text());
                if (message.path("type").asString("").equals(type)) {
                    return message;
                }
            }
        }
    }

    /** The text frames up to and including the next of {@code type}; fails if the socket closes first. */
    static java.util.List<JsonNode> until(RawWebSocket ws, String type) throws IOException {
        var frames = new java.util.ArrayList<JsonNode>();
        while (true) {
            RawWebSocket.Frame frame = ws.read();
            if (frame.opcode() == RawWebSocket.CLOSE) {
                throw new AssertionError("closed (" + frame.closeCode() + ") before a '" + type + "' frame");
            }
            if (frame.opcode() == RawWebSocket.TEXT) {
                JsonNode message = ChatClient.JSON.readTree(frame.text());
                frames.add(message);
                if (message.path("type").asString("").equals(type)) {
                    return frames;
                }
            }
        }
    }

    /** Reads frames until the close; its code. */
    static int closeCode(RawWebSocket ws) throws IOException {
        while (true) {
            RawWebSocket.Frame frame = ws.read();
            if (frame.opcode() == RawWebSocket.CLOSE) {
                return frame.closeCode();
            }
        }
    }
}
