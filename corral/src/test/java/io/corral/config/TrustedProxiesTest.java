package io.corral.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrustedProxiesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "127.0.0.1,::1|127.0.0.1|true",
            "127.0.0.1,::1|::1|true",
            "127.0.0.1,::1|127.0.0.2|false",
            "10.0.0.0/8|10.200.3.4|true",
            "10.0.0.0/8|11.0.0.1|false",
            "192.168.1.0/26|192.168.1.63|true",
            "192.168.1.0/26|192.168.1.64|false",
            "fd00::/8|fd12::1|true",
            "10.0.0.0/8|::ffff:0a00:0001|true",
            "*|203.0.113.9|true"})
    void trustsWhatItLists(String setting, String peer, boolean trusted) {
        assertThat(TrustedProxies.parse(setting).trusts(InetAddress.ofLiteral(peer))).isEqualTo(trusted);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"proxy.internal|names are not resolved", "10.0.0.0/33|must be 0 to 32"})
    void refusesWhatItCannotCheckWithoutDns(String setting, String message) {
        assertThatThrownBy(() -> TrustedProxies.parse(setting)).hasMessageContaining(message);
    }
}
