package io.corral.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The obs-fold and HTTP-version rules however the bytes are split into reads, since a fold or a version may straddle
 * two TCP segments.
 */
class StrictRequestDecoderTest {

    private static final String FOLDED = "GET / HTTP/1.1\r\nHost: x\r\nX-A: one\r\n two\r\n\r\n";
    private static final String CLEAN_WITH_BODY =
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 8\r\n\r\nab\r\n cd\r\n";

    @ParameterizedTest(name = "[{index}] folded, split at byte {0}")
    @CsvSource({"1", "20", "27", "35", "36", "37", "38", "40"})
    void foldIsRefusedWhereverTheReadsSplit(int split) {
        HttpRequest request = decodeHead(FOLDED, split);
        assertThat(request.decoderResult().isFailure()).isTrue();
        assertThat(request.decoderResult().cause()).hasMessageContaining("obs-fold");
    }

    @ParameterizedTest(name = "[{index}] clean head, body holding CRLF SP, split at byte {0}")
    @CsvSource({"1", "30", "46", "49", "51", "53", "55"})
    void bodyBytesThatLookLikeAFoldAreNotAFold(int split) {
        HttpRequest request = decodeHead(CLEAN_WITH_BODY, split);
        assertThat(request.decoderResult().isSuccess()).isTrue();
    }

    @ParameterizedTest(name = "[{index}] two pipelined requests, split at byte {0}")
    @CsvSource({"10", "45", "70"})
    void secondPipelinedRequestIsCheckedToo(int split) {
        String twoRequests = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n" + FOLDED;
        List<Object> out = decodeAll(twoRequests, split);
        var heads = out.stream().filter(HttpRequest.class::isInstance).map(HttpRequest.class::cast).toList();
        assertThat(heads).hasSize(2);
        assertThat(heads.get(0).decoderResult().isSuccess()).isTrue();
        assertThat(heads.get(1).decoderResult().isFailure()).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}, split at byte {1}")
    @CsvSource({"'GET / http/1.1', 1", "'GET / http/1.1', 8", "'GET / http/1.1', 13", "'GET / HTTP/1.1 ', 14",
            "'GET / HTTP/11', 10", "'GET /HTTP/1.1', 5", "'GET / HTTP/1.x', 12"})
    void aVersionThatIsNotExactlyHttpDigitDotDigitIsRefused(String requestLine, int split) {
        HttpRequest request = decodeHead(requestLine + "\r\nHost: x\r\n\r\n", split);
        assertThat(request.decoderResult().isFailure()).isTrue();
    }

    @ParameterizedTest(name = "[{index}] lower-case version after a request with a body, split at byte {0}")
    @CsvSource({"10", "50", "62", "70"})
    void aVersionInTheWrongCaseIsRefusedByOurCheckAlsoInAPipelinedRequest(int split) {
        // Netty itself upper-cases "http/1.1": only the HeadScanner refuses it, after a reset for the second head.
        String twoRequests = CLEAN_WITH_BODY + "GET / http/1.1\r\nHost: x\r\n\r\n";
        var heads = decodeAll(twoRequests, split).stream().filter(HttpRequest.class::isInstance)
                .map(HttpRequest.class::cast).toList();
        assertThat(heads).hasSize(2);
        assertThat(heads.get(0).decoderResult().isSuccess()).isTrue();
        assertThat(heads.get(1).decoderResult().cause()).hasMessageContaining("HTTP/DIGIT.DIGIT");
    }

    @ParameterizedTest(name = "[{index}] {0}, split at byte {1}")
    @CsvSource({"'GET / HTTP/1.1', 1", "'GET / HTTP/1.1', 13", "'GET /x HTTP/1.0', 9", "'\r\nGET / HTTP/1.1', 2"})
    void anExactVersionPasses(String requestLine, int split) {
        HttpRequest request = decodeHead(requestLine + "\r\nHost: x\r\n\r\n", split);
        assertThat(request.decoderResult().isSuccess()).isTrue();
    }

    private static HttpRequest decodeHead(String text, int split) {
        return decodeAll(text, split).stream().filter(HttpRequest.class::isInstance).map(HttpRequest.class::cast)
                .findFirst().orElseThrow();
    }

    private static List<Object> decodeAll(String text, int split) {
        var channel = new EmbeddedChannel(new StrictRequestDecoder(new HttpDecoderConfig().setStrictLineParsing(true)));
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, split));
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
        var out = new ArrayList<Object>();
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            out.add(msg instanceof LastHttpContent c && !(msg instanceof HttpRequest) ? c.retain() : msg);
        }
        channel.finishAndReleaseAll();
        out.forEach(io.netty.util.ReferenceCountUtil::release);
        return out;
    }
}
