package io.corral.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.app.App;
import io.corral.app.Routes;
import io.corral.testing.RawClient;
import io.corral.testing.RawResponse;
import io.corral.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Static files from a directory and from the classpath: types, validators, 304s, and no way out of the root. */
class StaticFilesIT {
    @TempDir
    static Path tmp;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<h1>home</h1>");
        Files.writeString(site.resolve("app.js"), "export const x = 1;");
        Files.writeString(tmp.resolve("secret.txt"), "outside the root");
        Files.createSymbolicLink(site.resolve("escape.txt"), tmp.resolve("secret.txt"));
        App app = new App() {
            @Override
            public void configure(Routes routes) {
                routes.get("/api/ping", request -> "pong")
                        .classpathFiles("/assets", "public")
                        .staticFiles("/", site);
            }
        };
        server = TestServer.start(app);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void rootServesIndexHtml() throws Exception {
        RawResponse response = get("/", "");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(response.text()).isEqualTo("<h1>home</h1>");
    }

    @Test
    void filesGetTheirContentTypeAndValidators() throws Exception {
        RawResponse response = get("/app.js", "");
        assertThat(response.header("content-type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(response.header("etag")).isNotBlank();
        assertThat(response.header("last-modified")).endsWith("GMT");
    }

    @Test
    void matchingEtagGets304() throws Exception {
        String etag = get("/app.js", "").header("etag");
        RawResponse response = get("/app.js", "If-None-Match: " + etag + "\r\n");
        assertThat(response.status()).isEqualTo(304);
        assertThat(response.header("etag")).isEqualTo(etag);
        assertThat(response.header("content-length")).as("RFC 9110 §8.6").isNull();
    }

    @Test
    void unmodifiedSinceGets304AndAnOldDateGets200() throws Exception {
        String lastModified = get("/app.js", "").header("last-modified");
        assertThat(get("/app.js", "If-Modified-Since: " + lastModified + "\r\n").status()).isEqualTo(304);
        assertThat(get("/app.js", "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n").status()).isEqualTo(200);
    }

    @Test
    void routesWinOverTheRootMount() throws Exception {
        assertThat(get("/api/ping", "").text()).isEqualTo("\"pong\"");
    }

    @Test
    void classpathFilesAreServedWithAStrongEtag() throws Exception {
        RawResponse response = get("/assets/css/site.css", "");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-type")).isEqualTo("text/css; charset=utf-8");
        assertThat(response.text()).contains("color: black");
        assertThat(get("/assets/css/site.css", "If-None-Match: " + response.header("etag") + "\r\n").status())
                .isEqualTo(304);
    }

    @Test
    void nothingOutsideTheRootIsServed() throws Exception {
        for (String path : new String[] {"/../secret.txt", "/%2e%2e/secret.txt", "/a/..%2F..%2Fsecret.txt",
                "/escape.txt", "/assets/../public/hello.txt", "/assets/%2e%2e/logback.xml", "/missing.txt"}) {
            assertThat(get(path, "").status()).as(path).isEqualTo(404);
        }
    }

    @Test
    void postToAStaticPathIs405() throws Exception {
        try (var client = new RawClient(server.port())) {
            RawResponse response = client.send("POST /app.js HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("allow")).isEqualTo("GET, HEAD");
        }
    }

    private static RawResponse get(String path, String extraHeaders) throws Exception {
        try (var client = new RawClient(server.port())) {
            return client.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n" + extraHeaders + "\r\n").read();
        }
    }
}
