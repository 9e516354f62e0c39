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
    private final String address;

    ChatClient(int port, String token) {
        this(port, token, null);
    }

    /** {@code address}: sent as X-Forwarded-For, the client's address as a trusted proxy would say it. */
    ChatClient(int port, String token, String address) {
        this.port = port;
        this.token = token;
        this.address = address;
    }

    ChatClient from(String clientAddress) {
        return new ChatClient(port, token, clientAddress);
    }

    ChatClient(int port) {
        this(port, null);
    }

    /**
     * Registers {@code name} (password "password-" + name) and returns a client signed in as it. Each account comes
     * from an address of its own (X-Forwarded-For, believed from 127.0.0.1), as people's do, so the limits per
     * address apply to the tests that are about them only.
     */
    static ChatClient signUp(int port, String name) throws Exception {
        var anonymous = new ChatClient(port, null, randomAddress());
        Map<String, String> credentials = Map.of("username", name, "password", "password-" + name);
        Reply registered = anonymous.call("POST", "/api/register", credentials);
        if (registered.status() != 201) {
            throw new AssertionError("register " + name + ": " + registered.status() + " " + registered.body());
        }
        return logIn(port, name);
    }

    /** A new session of {@code name} (password "password-" + name), as from another device. */
    static ChatClient logIn(int port, String name) throws Exception {
        var anonymous = new ChatClient(port, null, randomAddress());
        Reply login = anonymous.call("POST", "/api/login", Map.of("username", name, "password", "password-" + name));
        if (login.status() != 200) {
            throw new AssertionError("login " + name + ": " + login.status() + " " + login.body());
        }
        return new ChatClient(port, login.body().get("token").asString());
    }

    static String randomAddress() {
        var random = java.util.concurrent.ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
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
        return send(method, path, "application/json", json);
    }

    Reply send(String method, String path, String contentType, String json) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (address != null) {
            request.header("X-Forwarded-For", address);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isEmpty() ? null : JSON.readTree(response.body());
        return new Reply(response.statusCode(), body, response);
    }

    /** A raw body (an upload): {@code bytes} with {@code contentType}, the answer read as JSON. */
    Reply upload(String method, String path, String contentType, byte[] bytes) throws Exception {
        var request = authorized(path).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isEmpty() ? null : JSON.readTree(response.body());
        return new Reply(response.statusCode(), body, response);
    }

    /** A GET whose answer is bytes (a download). */
    HttpResponse<byte[]> download(String path) throws Exception {
        return HTTP.send(authorized(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder authorized(String path) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }
}
