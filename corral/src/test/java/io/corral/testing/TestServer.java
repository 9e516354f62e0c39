package io.corral.testing;

import io.corral.app.App;
import io.corral.config.CliSpec;
import io.corral.config.Config;
import io.corral.worker.Worker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real worker serving {@code app} on 127.0.0.1 and a free port, in this JVM, configured with command-line flags
 * exactly as {@code corral} takes them. For tests of the HTTP engine and of apps.
 */
public final class TestServer implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Worker worker;

    private TestServer(Worker worker) {
        this.worker = worker;
    }

    public static TestServer start(App app, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of(flags));
        args.addAll(List.of("-b", "127.0.0.1:0", app.getClass().getName()));
        Config config = new CliSpec("test").parse(args.toArray(String[]::new)).config();
        Worker worker = Worker.boot(config, app);
        worker.listen(config);
        return new TestServer(worker);
    }

    public int port() {
        return worker.server().port();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    public int openConnections() {
        return worker.server().openConnections();
    }

    /** A GET through the JDK's HTTP client. */
    public HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Any method with a JSON body through the JDK's HTTP client. */
    public HttpResponse<String> send(String method, String path, String json) throws Exception {
        var request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The worker's graceful stop, as the master's stop request runs it (blocks until drained or {@code grace}). */
    public void drain(Duration grace, boolean replaced) {
        worker.drain(grace, replaced);
    }

    @Override
    public void close() {
        worker.close();
    }
}
