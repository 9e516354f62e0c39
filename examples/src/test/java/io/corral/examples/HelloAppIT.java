package io.corral.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The example app's routes, which bench/ measures, answer what the README says they do. */
class HelloAppIT {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(new HelloApp());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void healthAndJson() throws Exception {
        assertThat(server.get("/health").body()).isEqualTo("{\"status\":\"healthy\"}");
        assertThat(server.get("/json").body()).isEqualTo("{\"message\":\"Hello, World!\",\"number\":42,"
                + "\"tags\":[\"corral\",\"java\"],\"at\":\"2025-11-24T16:00:00Z\"}");
    }

    @Test
    void notesAreValidated() throws Exception {
        assertThat(server.send("POST", "/notes", "{\"text\":\"buy milk\",\"priority\":2}").statusCode()).isEqualTo(201);
        var invalid = server.send("POST", "/notes", "{\"text\":\"" + "x".repeat(201) + "\"}");
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(invalid.body()).contains("string_too_long");
    }

    @Test
    void pathParameterAndStream() throws Exception {
        assertThat(server.get("/hello/corral").body()).isEqualTo("{\"hello\":\"corral\"}");
        assertThat(server.get("/count/3").body()).isEqualTo("1\n2\n3\n");
    }
}
