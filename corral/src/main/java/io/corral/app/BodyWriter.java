package io.corral.app;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Produces a streamed response body, sent with {@code Transfer-Encoding: chunked}. Runs on the handler's virtual
 * thread; each {@code flush()} sends what was written as one chunk, and writes block while the client is slow to
 * read, so a streamed body never piles up in the worker's memory.
 */
@FunctionalInterface
public interface BodyWriter {
    void writeTo(OutputStream out) throws IOException;
}
