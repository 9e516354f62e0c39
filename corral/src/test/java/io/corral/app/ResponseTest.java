package io.corral.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseTest {

    @ParameterizedTest
    @ValueSource(ints = {100, 101, 103, 199, 600})
    void interimAndOutOfRangeStatusesAreRefused(int status) {
        assertThatThrownBy(() -> Response.empty(status)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length", "content-length", "Transfer-Encoding"})
    void framingHeadersAreTheServers(String name) {
        assertThatThrownBy(() -> Response.text(200, "x").header(name, "5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set by the server");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Cache-Control", "Location", "Connection"})
    void otherHeadersAreTheApps(String name) {
        assertThat(Response.empty(204).header(name, "v").headers()).hasSize(1);
    }
}
