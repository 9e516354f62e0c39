package io.corral.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.testing.RawClient;
import io.corral.testing.RawResponse;
import io.corral.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Sends every request of {@code resources/http} to a real worker and checks the status it gets (see its README). */
class HttpCorpusIT {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(new EngineTestApp());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Path> invalid() throws Exception {
        return corpus("invalid");
    }

    static Stream<Path> valid() throws Exception {
        return corpus("valid");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidRequestIsRefusedAndTheConnectionClosed(Path request) throws Exception {
        try (var client = new RawClient(server.port())) {
            RawResponse response = client.send(bytesOf(request)).read();

            assertThat(response.status()).isEqualTo(expectedStatus(request));
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(response.text()).contains("\"status\":" + response.status()).doesNotContain("Exception");
            assertThat(client.isClosedByServer()).as("server closed the connection").isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validRequestIsAnsweredAndTheConnectionKept(Path request) throws Exception {
        try (var client = new RawClient(server.port())) {
            RawResponse response = client.send(bytesOf(request)).read();
            assertThat(response.status()).isEqualTo(expectedStatus(request));

            if (!request.getFileName().toString().contains("http10")) {
                RawResponse again = client.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertThat(again.status()).as("the connection is still usable").isEqualTo(200);
            }
        }
    }

    private static Stream<Path> corpus(String folder) throws IOException, URISyntaxException {
        Path dir = Path.of(HttpCorpusIT.class.getResource("/http/" + folder).toURI());
        return Files.list(dir).filter(p -> p.toString().endsWith(".http")).sorted();
    }

    private static int expectedStatus(Path request) throws IOException {
        Path expect = request.resolveSibling(request.getFileName().toString().replace(".http", ".expect"));
        return Integer.parseInt(Files.readString(expect).strip());
    }

    /** Line breaks become CRLF; {@code \r \n \t \0 \\} escapes become their bytes (see the corpus README). */
    static byte[] bytesOf(Path request) throws IOException {
        String text = Files.readString(request, StandardCharsets.ISO_8859_1);
        var out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.write('\r');
                out.write('\n');
            } else if (c == '\\' && i + 1 < text.length()) {
                char e = text.charAt(++i);
                out.write(switch (e) {
                    case 'r' -> '\r';
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case '0' -> 0;
                    case '\\' -> '\\';
                    default -> throw new IllegalArgumentException("unknown escape \\" + e + " in " + request);
                });
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }
}
