package io.corral.http;

import io.netty.buffer.ByteBuf;

/**
 * Reads a request head's bytes once, as they arrive, for what Netty's decoder lets through: an HTTP-version that is
 * not exactly {@code HTTP/DIGIT.DIGIT} (Netty upper-cases {@code http/1.1}, which RFC 9112 §2.3 makes case-sensitive),
 * obs-fold (a field line that starts with SP or HTAB) and a second Content-Length field. Netty rejects differing
 * Content-Lengths for HTTP/1.1 but keeps the first one for HTTP/1.0, and folds continuation lines into the previous
 * field; both let a proxy and Corral disagree on where a request ends (RFC 9112 §5.2, §6.3). Linear: each byte is
 * looked at once, however the head is split into reads. One instance per connection, reset per head; event loop only.
 */
final class HeadScanner {
    enum Verdict { MORE, END, BAD_VERSION, OBS_FOLD, DUPLICATE_CONTENT_LENGTH }

    /** What a request line ends with: SP, then the HTTP-version; '#' stands for a digit. */
    private static final byte[] VERSION_TAIL = " HTTP/#.#".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private boolean requestLineSeen;
    private int column;
    private boolean lastWasCr;
    private boolean mayBeContentLength;
    private int contentLengths;
    private int end;
    /** The last bytes of the request line so far, CR excluded, as a ring of {@code VERSION_TAIL.length}. */
    private final byte[] lineTail = new byte[VERSION_TAIL.length];
    private int lineLength;

    void reset() {
        requestLineSeen = false;
        column = 0;
        lastWasCr = false;
        mayBeContentLength = false;
        contentLengths = 0;
        lineLength = 0;
    }

    /** After {@link Verdict#END}: the index just past the blank line that ended the head. */
    int end() {
        return end;
    }

    /** Scans {@code buffer[from, to)}; stops at the end of the head or at the first problem. */
    Verdict feed(ByteBuf buffer, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buffer.getByte(i);
            if (b == '\n') {
                boolean emptyLine = column == 0 || (column == 1 && lastWasCr);
                if (emptyLine && requestLineSeen) {
                    end = i + 1;
                    return Verdict.END;
                }
                if (!requestLineSeen && !emptyLine && !endsWithVersion()) {
                    return Verdict.BAD_VERSION;
                }
                requestLineSeen |= !emptyLine; // empty lines before the request line are tolerated (§2.2)
                column = 0;
                lastWasCr = false;
                mayBeContentLength = true;
                continue;
            }
            if (column == 0 && requestLineSeen && (b == ' ' || b == '\t')) {
                return Verdict.OBS_FOLD;
            }
            if (mayBeContentLength && requestLineSeen && column < CONTENT_LENGTH.length) {
                if (lower(b) != CONTENT_LENGTH[column]) {
                    mayBeContentLength = false;
                } else if (column == CONTENT_LENGTH.length - 1 && ++contentLengths > 1) {
                    return Verdict.DUPLICATE_CONTENT_LENGTH;
                }
            }
            if (!requestLineSeen && b != '\r') {
                lineTail[lineLength++ % lineTail.length] = b;
            }
            lastWasCr = b == '\r';
            column++;
        }
        return Verdict.MORE;
    }

    private boolean endsWithVersion() {
        if (lineLength < lineTail.length) {
            return false;
        }
        for (int i = 0; i < VERSION_TAIL.length; i++) {
            byte b = lineTail[(lineLength + i) % lineTail.length];
            boolean ok = VERSION_TAIL[i] == '#' ? b >= '0' && b <= '9' : b == VERSION_TAIL[i];
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }
}
