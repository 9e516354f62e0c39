package io.corral.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Corral Chat's REST API from a test: JSON in, status and JSON out, with an optional bearer token. */
final class ChatClient {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Reply(int status, JsonNode body, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private final int port;
    private final String token;

    ChatClient(int port, String token) {
        this.port = port;
        this.token = token;
    }

    ChatClient(int port) {
        this(port, null);
    }

    /** Registers {@code name} (password "password-" + name) and returns a client signed in as it. */
    static ChatClient signUp(int port, String name) throws Exception {
        var anonymous = new ChatClient(port);
        Map<String, String> credentials = Map.of("username", name, "password", "password-" + name);
        Reply registered = anonymous.call("POST", "/api/register", credentials);
        if (registered.status() != 201) {
            throw new AssertionError("register " + name + ": " + registered.status() + " " + registered.body());
        }
        Reply login = anonymous.call("POST", "/api/login", credentials);
        return new ChatClient(port, login.body().get("token").asString());
    }

    String token() {
        return token;
    }

    Reply call(String method, String path, Object body) throws Exception {
        return send(method, path, body == null ? null : JSON.writeValueAsString(body));
    }

    Reply get(String path) throws Exception {
        return call("GET", path, null);
    }

    Reply send(String method, String path, String json) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isEmpty() ? null : JSON.readTree(response.body());
        return new Reply(response.statusCode(), body, response);
    }
}
