package io.corral.chat.attachment;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The type of an uploaded file, from its first bytes, never from what the client declares: a page that says
 * "image/png" about a script must not get it served as one. Only the raster images a browser renders safely are
 * {@link #isImage images} (SVG can carry script: it is text here, and downloaded, never shown inline).
 */
public final class ContentSniffer {
    /** How many leading bytes the sniffer looks at. */
    public static final int HEAD = 4096;
    public static final String OCTET_STREAM = "application/octet-stream";

    private ContentSniffer() {
    }

    public static String type(byte[] head, int length) {
        byte[] b = Arrays.copyOf(head, Math.min(length, head.length));
        if (starts(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (starts(b, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (starts(b, 'G', 'I', 'F', '8')) {
            return "image/gif";
        }
        if (b.length >= 12 && starts(b, 'R', 'I', 'F', 'F') && b[8] == 'W' && b[9] == 'E' && b[10] == 'B'
                && b[11] == 'P') {
            return "image/webp";
        }
        if (starts(b, '%', 'P', 'D', 'F', '-')) {
            return "application/pdf";
        }
        if (starts(b, 'P', 'K', 3, 4)) {
            return "application/zip";
        }
        if (starts(b, 0x1F, 0x8B)) {
            return "application/gzip";
        }
        return isText(b) ? "text/plain; charset=utf-8" : OCTET_STREAM;
    }

    public static boolean isImage(String type) {
        return type.equals("image/png") || type.equals("image/jpeg") || type.equals("image/gif")
                || type.equals("image/webp");
    }

    private static boolean starts(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** UTF-8 without NUL or other controls but whitespace; a sequence cut at the end of the head is fine. */
    private static boolean isText(byte[] b) {
        if (b.length == 0) {
            return true;
        }
        for (byte x : b) {
            if (x == 0 || x > 0 && x < 0x20 && x != '\t' && x != '\n' && x != '\r' && x != '\f') {
                return false;
            }
        }
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int end = b.length;
        for (int cut = 0; cut < 4; cut++) {
            try {
                decoder.reset().decode(ByteBuffer.wrap(b, 0, end - cut));
                return true;
            } catch (CharacterCodingException e) {
                if (b.length < HEAD || end - cut <= 0) {
                    return false;  // the whole file was read: nothing was cut
                }
            }
        }
        return false;
    }
}
