package io.corral.app;

/**
 * Answers one HTTP request. Runs on its own virtual thread, so blocking calls (JDBC, files, sleeps) are fine.
 *
 * <p>The return value is the response: a {@link Response} as it is, {@code null} as {@code 204 No Content},
 * anything else as a {@code 200} JSON body written by Jackson (records, lists, maps, strings, numbers).
 * Throw {@link HttpError} for a deliberate error status and {@link InvalidInput} for field errors (422); any
 * other exception is logged with its stack trace and answered 500 without one.
 */
@FunctionalInterface
public interface Handler {
    Object handle(Request request) throws Exception;
}
