package io.corral.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.testing.RawClient;
import io.corral.testing.RawResponse;
import io.corral.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Gunicorn's request limits, with its defaults, and the body limit: each answered with its status, then closed. */
class HttpLimitsIT {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(new EngineTestApp(), "--limit-request-body", "1000");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void requestLineAtTheLimitIsServedAndOneByteMoreIs414() throws Exception {
        String prefix = "GET /items/";
        String suffix = " HTTP/1.1";
        String atLimit = prefix + "a".repeat(4094 - prefix.length() - suffix.length()) + suffix;
        assertThat(atLimit).hasSize(4094);
        assertThat(exchange(atLimit + "\r\nHost: x\r\n\r\n").status()).isEqualTo(200);

        String overLimit = prefix + "a".repeat(4095 - prefix.length() - suffix.length()) + suffix;
        assertRefused(overLimit + "\r\nHost: x\r\n\r\n", 414);
    }

    @Test
    void hundredFieldsAreServedAndHundredAndOneAre431() throws Exception {
        assertThat(exchange(requestWithFields(100)).status()).isEqualTo(200);
        assertRefused(requestWithFields(101), 431);
    }

    @Test
    void fieldOf8190BytesIsServedAnd8191Is431() throws Exception {
        String name = "X-Big";
        String fits = name + ": " + "v".repeat(8190 - name.length() - 2);
        assertThat(exchange("GET /health HTTP/1.1\r\nHost: x\r\n" + fits + "\r\n\r\n").status()).isEqualTo(200);
        assertRefused("GET /health HTTP/1.1\r\nHost: x\r\n" + fits + "v\r\n\r\n", 431);
    }

    @Test
    void declaredBodyOverTheLimitIs413() throws Exception {
        assertRefused("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n" + "b".repeat(1001), 413);
    }

    @Test
    void chunkedBodyGrowingOverTheLimitIs413() throws Exception {
        String chunk = "1f4\r\n" + "c".repeat(500) + "\r\n";
        assertRefused("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + chunk + chunk + chunk + "0\r\n\r\n", 413);
    }

    @Test
    void bodyAtTheLimitIsServed() throws Exception {
        RawResponse response = exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"
                + "d".repeat(1000));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).hasSize(1000);
    }

    private static String requestWithFields(int fields) {
        var request = new StringBuilder("GET /health HTTP/1.1\r\nHost: x\r\n");
        for (int i = 1; i < fields; i++) {
            request.append("X-F").append(i).append(": ").append(i).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    private static RawResponse exchange(String request) throws Exception {
        try (var client = new RawClient(server.port())) {
            return client.send(request).read();
        }
    }

    private static void assertRefused(String request, int status) throws Exception {
        try (var client = new RawClient(server.port())) {
            RawResponse response = client.send(request).read();
            assertThat(response.status()).isEqualTo(status);
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }
}
