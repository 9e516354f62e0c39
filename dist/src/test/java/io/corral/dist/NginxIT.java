package io.corral.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.testing.RequiredService;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Nginx in front of Corral Chat with the shipped site file (listen addresses, certificate paths and the
 * upstream port substituted, nothing else): HTTPS with a self-signed certificate, HTTP redirected, the API and
 * /ws through it, and the client address in Corral's access log taken from X-Forwarded-For only while Nginx's
 * address is in --forwarded-allow-ips.
 */
class NginxIT {
    private static final String FORGED = "198.51.100.23";

    @TempDir
    Path tmp;

    @Test
    void theShippedSiteProxiesHttpsAndWebSocketsAndCorralBelievesOnlyItsProxy() throws Exception {
        Path nginx = RequiredService.require("nginx", "apt-get install nginx-light");
        Path openssl = RequiredService.require("openssl", "apt-get install openssl");
        Path home = Release.unpack(Files.createDirectory(tmp.resolve("release")));
        int corralPort = Release.freePort();
        int httpPort = Release.freePort();
        int httpsPort = Release.freePort();
        Path cert = tmp.resolve("cert.pem");
        Path key = tmp.resolve("key.pem");
        Process certificate = new ProcessBuilder(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(certificate.waitFor()).isZero();

        Path conf = tmp.resolve("corral.conf");
        Files.writeString(conf, "forwarded-allow-ips = 127.0.0.1\n");
        Path access = tmp.resolve("access.log");
        Path state = Files.createDirectory(tmp.resolve("state"));
        Process corral = Release.start(List.of(home.resolve("bin/corral").toString(), "io.corral.chat.ChatApp",
                "-c", conf.toString(), "-w", "2", "-b", "127.0.0.1:" + corralPort, "--access-logfile",
                access.toString(), "--error-logfile", tmp.resolve("error.log").toString()), state, Map.of(),
                tmp.resolve("stderr.log"));
        Process proxy = null;
        try {
            Release.awaitOk("http://127.0.0.1:" + corralPort + "/health", System.nanoTime());
            proxy = startNginx(nginx, home, corralPort, httpPort, httpsPort, cert, key);
            HttpClient https = trusting(cert);
            String base = "https://127.0.0.1:" + httpsPort;
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> get(https, base + "/health", Map.of()).statusCode() == 200);

            assertThat(get(https, base + "/health", Map.of()).body()).isEqualTo("{\"status\":\"healthy\"}");
            var plain = Release.get("http://127.0.0.1:" + httpPort + "/health");
            assertThat(plain.statusCode()).isEqualTo(301);
            assertThat(plain.headers().firstValue("location")).hasValue("https://127.0.0.1/health");

            // The API and a WebSocket session through Nginx.
            String credentials = "{\"username\":\"alice\",\"password\":\"through-nginx\"}";
            assertThat(post(https, base + "/api/register", credentials).statusCode()).isEqualTo(201);
            String login = post(https, base + "/api/login", credentials).body();
            String token = login.replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
            var messages = new LinkedBlockingQueue<String>();
            WebSocket ws = https.newWebSocketBuilder().buildAsync(URI.create("wss://127.0.0.1:" + httpsPort + "/ws"),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                            messages.add(data.toString());
                            socket.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            ws.sendText("{\"type\":\"auth\",\"token\":\"" + token + "\"}", true).join();
            assertThat(messages.poll(10, TimeUnit.SECONDS)).contains("\"type\":\"ready\"").contains("alice");
            ws.sendClose(1000, "").join();

            // A 10 MiB upload through the site's upload location (Nginx's default 1m would refuse it), and back.
            String room = post(https, base + "/api/rooms", "{\"name\":\"files\"}", token).body()
                    .replaceAll(".*\"id\":(\\d+).*", "$1");
            byte[] file = new byte[10 << 20];
            new java.util.Random(7).nextBytes(file);
            var uploaded = https.send(HttpRequest.newBuilder(URI.create(base + "/api/rooms/" + room
                            + "/attachments?name=big.bin")).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(file)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
            String id = uploaded.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            var downloaded = https.send(HttpRequest.newBuilder(URI.create(base + "/api/attachments/" + id))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(downloaded.statusCode()).isEqualTo(200);
            assertThat(downloaded.body()).as("byte-identical through Nginx").isEqualTo(file);
            var tooBig = https.send(HttpRequest.newBuilder(URI.create(base + "/api/rooms/" + room
                            + "/attachments?name=big.bin")).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[(10 << 20) + 1])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(tooBig.statusCode()).isEqualTo(413);

            // X-Forwarded-For from a proxy Corral trusts: the client is the address it names.
            get(https, base + "/health?trusted", Map.of("X-Forwarded-For", FORGED));
            await().atMost(Duration.ofSeconds(10)).until(() -> accessLine(access, "/health?trusted") != null);
            assertThat(accessLine(access, "/health?trusted")).startsWith(FORGED + " ");

            // Nginx no longer in --forwarded-allow-ips (after a reload): the header is ignored.
            Files.writeString(conf, "forwarded-allow-ips = 192.0.2.1\n");
            new ProcessBuilder("kill", "-HUP", Long.toString(corral.pid())).start().waitFor();
            // Until the old workers are gone: a draining one still answers the next request on a keep-alive
            // connection (Nginx's upstream keepalive), with the old settings and Connection: close.
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(tmp.resolve("error.log")).lines()
                    .filter(l -> l.matches(".*worker \\d+ \\(pid \\d+\\) stopped.*")).count() == 2);
            get(https, base + "/health?untrusted", Map.of("X-Forwarded-For", FORGED));
            await().atMost(Duration.ofSeconds(10)).until(() -> accessLine(access, "/health?untrusted") != null);
            assertThat(accessLine(access, "/health?untrusted")).startsWith("127.0.0.1 ");
        } finally {
            if (proxy != null) {
                proxy.destroy();
                proxy.waitFor(10, TimeUnit.SECONDS);
            }
            assertThat(Release.stop(corral)).isZero();
        }
    }

    private Process startNginx(Path nginx, Path home, int corralPort, int httpPort, int httpsPort, Path cert,
                               Path key) throws Exception {
        String site = Files.readString(home.resolve("deploy/nginx/corral-chat.conf"))
                .replace("server 127.0.0.1:8097;", "server 127.0.0.1:" + corralPort + ";")
                .replace("    listen 80;\n", "    listen 127.0.0.1:" + httpPort + ";\n")
                .replace("    listen [::]:80;\n", "")
                .replace("    listen 443 ssl http2;\n", "    listen 127.0.0.1:" + httpsPort + " ssl http2;\n")
                .replace("    listen [::]:443 ssl http2;\n", "")
                .replace("/etc/ssl/certs/chat.example.com.pem", cert.toString())
                .replace("/etc/ssl/private/chat.example.com.key", key.toString());
        Path prefix = Files.createDirectory(tmp.resolve("nginx"));
        Files.writeString(prefix.resolve("corral-chat.conf"), site);
        Files.writeString(prefix.resolve("nginx.conf"), """
                user root;
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events { worker_connections 256; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %1$s/corral-chat.conf;
                }
                """.formatted(prefix));
        Process test = new ProcessBuilder(nginx.toString(), "-t", "-p", prefix.toString(), "-c",
                prefix.resolve("nginx.conf").toString()).redirectErrorStream(true).start();
        String verdict = new String(test.getInputStream().readAllBytes());
        assertThat(test.waitFor()).as("nginx -t: " + verdict).isZero();
        return new ProcessBuilder(nginx.toString(), "-p", prefix.toString(), "-c",
                prefix.resolve("nginx.conf").toString()).redirectErrorStream(true)
                .redirectOutput(prefix.resolve("stdout.log").toFile()).start();
    }

    /** An HTTPS client that trusts exactly the test's self-signed certificate (hostname checks stay on). */
    private static HttpClient trusting(Path cert) throws Exception {
        var keyStore = KeyStore.getInstance(KeyStore.getDefaultType());
        keyStore.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            keyStore.setCertificateEntry("test", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore);
        var tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> get(HttpClient client, String url, Map<String, String> headers)
            throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient client, String url, String json) throws Exception {
        return post(client, url, json, null);
    }

    private static HttpResponse<String> post(HttpClient client, String url, String json, String token)
            throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String accessLine(Path access, String target) throws Exception {
        if (!Files.exists(access)) {
            return null;
        }
        return Files.readAllLines(access).stream().filter(l -> l.contains("GET " + target + " ")).findFirst()
                .orElse(null);
    }
}
