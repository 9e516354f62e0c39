package io.corral.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One-line HTTP calls against a local port, for tests that run corral as a process. */
public final class TestHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern PID = Pattern.compile("\"pid\"\\s*:\\s*(\\d+)");

    private TestHttp() {
    }

    public static HttpResponse<String> get(int port, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The pid of the worker that answers {@code GET /pid} (MasterTestApp's route). */
    public static long pidAt(int port) throws Exception {
        Matcher matcher = PID.matcher(get(port, "/pid").body());
        if (!matcher.find()) {
            throw new AssertionError("no pid in the answer of /pid");
        }
        return Long.parseLong(matcher.group(1));
    }
}
