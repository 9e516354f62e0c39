package io.corral.ws;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What a client's close frame says, judged by RFC 6455 §5.5.1 and §7.4: a code the sender may put on the wire and a
 * UTF-8 reason, or the close code we answer a broken frame with. Netty's own check answers a broken close frame with
 * an empty one (it has seen the client's close, so it only echoes), which leaves the client without the reason; the
 * decoder {@link WsHandshake} installs leaves the body to this class instead.
 */
sealed interface ReceivedClose {

    /** A well-formed close: {@code code} is 1005 ("no status received") when the frame had no body. */
    record Valid(int code, String reason) implements ReceivedClose {
    }

    /** A close frame we must refuse with {@code answer} (1002 or 1007); {@code why} goes to the log. */
    record Broken(int answer, String why) implements ReceivedClose {
    }

    /** Reads a close frame's payload without consuming it. */
    static ReceivedClose of(ByteBuf payload) {
        int length = payload.readableBytes();
        if (length == 0) {
            return new Valid(CloseCodes.NO_STATUS, "");
        }
        if (length == 1) {
            return new Broken(CloseCodes.PROTOCOL_ERROR, "a close frame with a one-byte body");
        }
        int code = payload.getUnsignedShort(payload.readerIndex());
        if (!mayBeSent(code)) {
            return new Broken(CloseCodes.PROTOCOL_ERROR, "close code " + code + " may not be sent");
        }
        ByteBuffer reason = payload.nioBuffer(payload.readerIndex() + 2, length - 2);
        try {
            return new Valid(code, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(reason).toString());
        } catch (CharacterCodingException e) {
            return new Broken(CloseCodes.INVALID_PAYLOAD, "a close reason that is not UTF-8");
        }
    }

    /**
     * The codes an endpoint may send (RFC 6455 §7.4.1, §7.4.2 and the IANA registry): 1000-1003 and 1007-1014
     * (assigned), 3000-4999 (libraries, frameworks and applications). Never 1004 (reserved), 1005, 1006 and 1015
     * (reported, never sent), nor 1016-2999 (unassigned) or anything outside 1000-4999.
     */
    static boolean mayBeSent(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }
}
