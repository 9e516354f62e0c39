package io.corral.config;

/** The headings settings are grouped under, in the order the help and the docs show them. */
public enum Section {
    SERVER_SOCKET("Server socket"),
    WORKER("Worker processes"),
    HTTP_LIMITS("HTTP limits"),
    SECURITY("Security"),
    WEBSOCKET("WebSockets"),
    BROKER("Broker"),
    LOGGING("Logging"),
    PROCESS("Process"),
    APP("Application and JVM");

    private final String title;

    Section(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
