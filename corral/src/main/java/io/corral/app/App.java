package io.corral.app;

/**
 * An application served by Corral: the Java counterpart of an ASGI app. Named on the command line
 * ({@code corral com.example.ChatApp}) and loaded once in every worker through its public no-argument constructor.
 *
 * <p>Lifecycle, on the worker's main thread: {@link #configure} declares the routes, {@link #start} runs before
 * the worker accepts its first connection (a failure there stops the worker with the app-load exit code),
 * {@link #stop} runs after the last request has been answered.
 */
public interface App {

    /** Declares the routes. Called once, before {@link #start()}. */
    void configure(Routes routes);

    /** Opens what the handlers need (pools, caches). An exception here keeps the worker from serving. */
    default void start() throws Exception {
    }

    /** Releases what {@link #start()} opened. */
    default void stop() throws Exception {
    }
}
