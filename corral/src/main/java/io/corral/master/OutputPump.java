package io.corral.master;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Copies a worker's stdout or stderr, line by line, to where the master decides. The master is the only writer of
 * the error log, so lines from different workers never interleave mid-line. One daemon thread per stream.
 */
final class OutputPump {
    private OutputPump() {
    }

    static void start(InputStream stream, String name, Consumer<String> sink) {
        Thread.ofPlatform().daemon().name(name).start(() -> {
            try (var reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // the worker is gone
            }
        });
    }
}
