package io.corral.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.testing.RawClient;
import io.corral.testing.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The application API's promises, seen from a client: statuses, error shapes, parameters, client address. */
class AppApiIT {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(new EngineTestApp());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void unknownPathIs404InJson() throws Exception {
        HttpResponse<String> response = server.get("/no/such/path");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"error\":\"not found\",\"status\":404}");
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> response = server.send("PUT", "/health", "{}");
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("allow")).hasValue("GET, HEAD");
    }

    @Test
    void validBodyIsReadIntoARecord() throws Exception {
        HttpResponse<String> response = server.send("POST", "/notes", "{\"text\":\"hi\",\"priority\":3,\"extra\":1}");
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("{\"text\":\"hi\",\"priority\":3}");
    }

    @Test
    void malformedJsonIs400() throws Exception {
        HttpResponse<String> response = server.send("POST", "/notes", "{\"text\": ");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("{\"error\":\"malformed JSON");
    }

    @Test
    void missingFieldIs422InFastApisShape() throws Exception {
        HttpResponse<String> response = server.send("POST", "/notes", "{\"priority\":1}");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).isEqualTo(
                "{\"detail\":[{\"loc\":[\"body\",\"text\"],\"msg\":\"Field required\",\"type\":\"missing\"}]}");
    }

    @Test
    void wrongTypeIs422NamingTheField() throws Exception {
        HttpResponse<String> response = server.send("POST", "/notes", "{\"text\":\"hi\",\"priority\":\"high\"}");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("\"loc\":[\"body\",\"priority\"]", "\"msg\":\"Input should be a number\"")
                .doesNotContain("java.");
    }

    @Test
    void emptyBodyWhereJsonIsExpectedIs422() throws Exception {
        HttpResponse<String> response = server.send("POST", "/notes", null);
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("\"loc\":[\"body\"]", "\"type\":\"missing\"");
    }

    @Test
    void httpErrorFromAHandlerKeepsItsStatusAndMessage() throws Exception {
        HttpResponse<String> response = server.get("/conflict");
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).isEqualTo("{\"error\":\"already exists\",\"status\":409}");
    }

    @Test
    void nullResultIs204WithoutABody() throws Exception {
        HttpResponse<String> response = server.get("/nothing");
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("content-length")).isEmpty();
    }

    @Test
    void pathAndQueryParametersAreDecoded() throws Exception {
        HttpResponse<String> response = server.get("/items/a%20b+c?sort=new%20first&tag=x&tag=y");
        assertThat(response.body()).contains("\"id\":\"a b+c\"", "\"sort\":\"new first\"", "\"tags\":[\"x\",\"y\"]");
    }

    @Test
    void encodedSlashStaysInsideItsSegment() throws Exception {
        assertThat(server.get("/items/a%2Fb").body()).contains("\"id\":\"a/b\"");
    }

    @Test
    void brokenPercentEncodingIs400() throws Exception {
        try (var client = new RawClient(server.port())) {
            assertThat(client.send("GET /items/%zz HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(400);
        }
    }

    @Test
    void clientAddressIsThePeerWithoutForwarding() throws Exception {
        assertThat(server.get("/client").body()).isEqualTo("{\"address\":\"127.0.0.1\"}");
    }

    @Test
    void forwardedForIsBelievedFromATrustedPeer() throws Exception {
        try (var client = new RawClient(server.port())) {
            String body = client.send("GET /client HTTP/1.1\r\nHost: x\r\n"
                    + "X-Forwarded-For: 6.6.6.6, 203.0.113.7\r\n\r\n").read().text();
            // The rightmost hop not in --forwarded-allow-ips is the client; what it claims left of that is not.
            assertThat(body).isEqualTo("{\"address\":\"203.0.113.7\"}");
        }
    }

    @Test
    void forwardedForIsIgnoredFromAnUntrustedPeer() throws Exception {
        try (var untrusting = TestServer.start(new EngineTestApp(), "--forwarded-allow-ips", "10.0.0.1");
             var client = new RawClient(untrusting.port())) {
            String body = client.send("GET /client HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n")
                    .read().text();
            assertThat(body).isEqualTo("{\"address\":\"127.0.0.1\"}");
        }
    }
}
