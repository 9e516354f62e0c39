package io.corral.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The judgement of a client's close frame, byte by byte, without a connection. */
class ReceivedCloseTest {

    private static ReceivedClose judge(int... bytes) {
        byte[] payload = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            payload[i] = (byte) bytes[i];
        }
        return ReceivedClose.of(Unpooled.wrappedBuffer(payload));
    }

    @Test
    void exactlyTheAssignedAndPrivateCodesMayBeSent() {
        int allowed = 0;
        for (int code = 0; code <= 0xFFFF; code++) {
            if (ReceivedClose.mayBeSent(code)) {
                allowed++;
            }
        }
        // 1000-1003 (4) + 1007-1014 (8) + 3000-4999 (2000)
        assertThat(allowed).isEqualTo(2012);
        assertThat(ReceivedClose.mayBeSent(1004)).isFalse();
        assertThat(ReceivedClose.mayBeSent(1005)).isFalse();
        assertThat(ReceivedClose.mayBeSent(1006)).isFalse();
        assertThat(ReceivedClose.mayBeSent(1015)).isFalse();
        assertThat(ReceivedClose.mayBeSent(2999)).isFalse();
        assertThat(ReceivedClose.mayBeSent(5000)).isFalse();
    }

    @Test
    void anEmptyBodyIsNoStatusAndAOneByteBodyIsAProtocolError() {
        assertThat(judge()).isEqualTo(new ReceivedClose.Valid(CloseCodes.NO_STATUS, ""));
        assertThat(judge(0x03)).isInstanceOf(ReceivedClose.Broken.class)
                .extracting(close -> ((ReceivedClose.Broken) close).answer()).isEqualTo(CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void theReasonMustBeUtf8() {
        byte[] reason = "ciao ✓".getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[reason.length + 2];
        payload[0] = 0x0F;
        payload[1] = (byte) 0xA0;  // 4000
        System.arraycopy(reason, 0, payload, 2, reason.length);
        assertThat(ReceivedClose.of(Unpooled.wrappedBuffer(payload)))
                .isEqualTo(new ReceivedClose.Valid(4000, "ciao ✓"));
        assertThat(judge(0x03, 0xE8, 0xC3, 0x28)).isEqualTo(
                new ReceivedClose.Broken(CloseCodes.INVALID_PAYLOAD, "a close reason that is not UTF-8"));
        assertThat(judge(0x03, 0xE8, 0xED, 0xA0, 0x80)).as("an encoded surrogate")
                .isInstanceOf(ReceivedClose.Broken.class);
    }

    @Test
    void theBufferIsNotConsumed() {
        var buffer = Unpooled.wrappedBuffer(new byte[] {0x03, (byte) 0xE8, 'o', 'k'});
        ReceivedClose.of(buffer);
        assertThat(buffer.readableBytes()).isEqualTo(4);
    }
}
