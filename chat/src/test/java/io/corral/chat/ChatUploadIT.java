package io.corral.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Must-show 4 of the chat-features issue: a worker with a 64 MiB heap takes three 10 MiB uploads at once, streamed
 * to disk (without a length, so nothing could size a buffer in advance), and gives each back byte for byte; 10 MiB
 * and one byte is refused with 413, with or without a declared length, and leaves nothing on disk.
 */
class ChatUploadIT {
    private static final int TEN_MIB = 10 << 20;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("sqlite"), Arguments.of("mariadb"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void tenMebibytesStreamToDiskOnASmallHeapAndOneByteMoreLeavesNothing(String database) throws Exception {
        Path files = Files.createTempDirectory("chat-files-");
        try (var chat = ChatService.start(database, 1, Map.of("CHAT_FILES_DIR", files.toString()),
                List.of("--worker-jvm-options", "-XX:+UseSerialGC -Xms16m -Xmx64m -XX:+ExitOnOutOfMemoryError"))) {
            int port = chat.port();
            var ann = ChatClient.signUp(port, "ann");
            long room = ann.call("POST", "/api/rooms", Map.of("name", "files")).body().get("id").asLong();
            String upload = "/api/rooms/" + room + "/attachments?name=";

            var bodies = new ArrayList<byte[]>();
            var sent = new ArrayList<CompletableFuture<HttpResponse<String>>>();
            for (int i = 0; i < 3; i++) {
                byte[] body = new byte[TEN_MIB];
                new Random(i).nextBytes(body);
                bodies.add(body);
                sent.add(HTTP.sendAsync(request(port, ann, upload + "part" + i + ".bin")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            var ids = new ArrayList<String>();
            for (var reply : sent) {
                HttpResponse<String> response = reply.join();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                JsonNode info = ChatClient.JSON.readTree(response.body());
                assertThat(info.get("size").asLong()).isEqualTo(TEN_MIB);
                ids.add(info.get("id").asString());
            }
            for (int i = 0; i < 3; i++) {
                assertThat(Files.size(files.resolve(ids.get(i)))).as("on disk").isEqualTo(TEN_MIB);
            }
            var message = ann.call("POST", "/api/rooms/" + room + "/messages", Map.of("text", "three files",
                    "attachments", ids));
            assertThat(message.status()).isEqualTo(201);
            for (int i = 0; i < 3; i++) {
                HttpResponse<byte[]> downloaded = ann.download("/api/attachments/" + ids.get(i));
                assertThat(downloaded.statusCode()).isEqualTo(200);
                assertThat(sha256(downloaded.body())).as("byte-identical").isEqualTo(sha256(bodies.get(i)));
            }

            byte[] tooBig = new byte[TEN_MIB + 1];
            HttpResponse<String> declared = HTTP.send(request(port, ann, upload + "big.bin")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(tooBig)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(declared.statusCode()).as("with a Content-Length").isEqualTo(413);
            int status;
            try {
                status = HTTP.send(request(port, ann, upload + "big.bin").POST(HttpRequest.BodyPublishers
                        .ofInputStream(() -> new ByteArrayInputStream(tooBig))).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (java.io.IOException e) {
                status = -1;  // the server's close raced the client's last write: the refusal still holds below
            }
            assertThat(status).as("chunked: refused when it passed the limit").isIn(413, -1);
            // The 413 is answered as the limit is passed, on the connection; the handler reading the body removes
            // its partial file after that, on its own thread.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (var left = Files.list(files)) {
                    assertThat(left.map(p -> p.getFileName().toString()).toList())
                            .as("nothing of the refused uploads").containsExactlyInAnyOrderElementsOf(ids);
                }
            });
            assertThat(chat.corral().lines()).as("the worker took it all in 64 MiB")
                    .noneMatch(line -> line.contains("OutOfMemoryError") || line.contains("exited"));
        }
    }

    private static HttpRequest.Builder request(int port, ChatClient client, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + client.token())
                .header("Content-Type", "application/octet-stream");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
