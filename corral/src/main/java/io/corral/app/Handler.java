package io.corral.app;

import java.util.Objects;

/**
 * Answers one HTTP request. Runs on its own virtual thread, so blocking calls (JDBC, files, sleeps) are fine;
 * {@link #nonBlocking} marks one that never blocks, to run on the event loop instead.
 *
 * <p>The return value is the response: a {@link Response} as it is, {@code null} as {@code 204 No Content},
 * anything else as a {@code 200} JSON body written by Jackson (records, lists, maps, strings, numbers).
 * Throw {@link HttpError} for a deliberate error status and {@link InvalidInput} for field errors (422); any
 * other exception is logged with its stack trace and answered 500 without one.
 */
@FunctionalInterface
public interface Handler {
    Object handle(Request request) throws Exception;

    /**
     * {@code handler}, run on the connection's event loop instead of a virtual thread: FastAPI's {@code async def}
     * to the default's {@code def}. It saves the hand-off to a virtual thread, about a third of the CPU of a trivial
     * request (docs/benchmarks.md), and is for handlers that only compute an answer from the request and memory: a
     * health check, a constant, a lookup in a map. It must never block (no JDBC, no sleep, no lock another thread
     * holds long): while it runs, every other connection of its event loop waits, and an event loop stuck for
     * {@code --timeout} gets the worker killed. A {@link Response#stream} body it returns is still written from a
     * virtual thread.
     */
    static Handler nonBlocking(Handler handler) {
        return new NonBlocking(handler);
    }

    /**
     * {@code handler}, run as soon as the request's head has arrived, with the body still coming: it reads
     * {@link Request#bodyStream()} while the client sends, so an upload never sits in memory whole. The route's
     * limit is {@code maxBodyBytes} instead of {@code --limit-request-body}: a longer declared body is answered 413
     * before the handler runs, an undeclared one 413 when it passes the limit (then a read of the stream throws
     * that {@link HttpError} and the handler's own answer is dropped). What the handler leaves unread is read and
     * discarded after it returns, so the connection stays usable. {@link Request#body()} and
     * {@link Request#bodyAs} are not available on such a route.
     */
    static Handler streamed(long maxBodyBytes, Handler handler) {
        return new Streamed(maxBodyBytes, handler);
    }

    /** What {@link #streamed} returns. */
    record Streamed(long maxBodyBytes, Handler handler) implements Handler {
        public Streamed {
            Objects.requireNonNull(handler, "handler");
            if (maxBodyBytes < 0) {
                throw new IllegalArgumentException("maxBodyBytes < 0: " + maxBodyBytes);
            }
        }

        @Override
        public Object handle(Request request) throws Exception {
            return handler.handle(request);
        }
    }

    /** What {@link #nonBlocking} returns: the server runs it where the request was read. */
    record NonBlocking(Handler handler) implements Handler {
        public NonBlocking {
            Objects.requireNonNull(handler, "handler");
        }

        @Override
        public Object handle(Request request) throws Exception {
            return handler.handle(request);
        }
    }
}
