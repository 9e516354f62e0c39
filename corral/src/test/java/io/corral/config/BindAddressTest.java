package io.corral.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BindAddressTest {

    @ParameterizedTest
    @CsvSource({"127.0.0.1:8097, 127.0.0.1, 8097", "0.0.0.0:80, 0.0.0.0, 80", "[::1]:8000, ::1, 8000",
            "localhost:0, localhost, 0"})
    void tcpForms(String raw, String host, int port) {
        assertThat(BindAddress.parse(raw)).isEqualTo(new BindAddress.Tcp(host, port));
    }

    @ParameterizedTest
    @CsvSource({"unix:/run/corral.sock, /run/corral.sock", "unix:relative.sock, relative.sock"})
    void unixForm(String raw, String path) {
        assertThat(BindAddress.parse(raw)).isEqualTo(new BindAddress.Unix(Path.of(path)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "8097|must be HOST:PORT",
            "::1:8000|IPv6 host goes in brackets",
            ":8000|needs a host",
            "host:http|port must be a number",
            "host:65536|port must be a number",
            "unix:|needs a socket path"})
    void badFormsSayWhatIsWrong(String raw, String message) {
        assertThatThrownBy(() -> BindAddress.parse(raw)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1:8097", "[::1]:8000", "unix:/run/corral.sock"})
    void printsAsItParses(String raw) {
        assertThat(BindAddress.parse(raw)).hasToString(raw);
    }
}
