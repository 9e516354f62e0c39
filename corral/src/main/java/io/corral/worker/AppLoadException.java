package io.corral.worker;

/** The app class could not be loaded, built, configured or started: the app-load exit code (4). */
public final class AppLoadException extends Exception {
    public AppLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
