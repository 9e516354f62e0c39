package io.corral.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Host field's syntax, {@code uri-host [ ":" port ]}, without a server. */
class HostFieldTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "example.com", "example.com:8097", "example.com:", "127.0.0.1", "127.0.0.1:80",
        "[::1]", "[::1]:8097", "[2001:db8::7]", "[v1.fe80::a+en1]", "ex%41mple.com", "under_score.example",
        "chat-1.example.com"})
    void aHostTheGrammarAllowsIsValid(String host) {
        assertThat(HostField.isValid(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad host", "bad host/x", "example.com/x", "user@example.com", "example.com:80x",
        "example.com:80:90", "[::1", "[::1]x", "[]", "[::1]:80:80", "ex%4", "ex%zzample", "a\tb", "例え.jp",
        "example.com?x", "example.com#x", "::1"})
    void anythingElseIsNot(String host) {
        assertThat(HostField.isValid(host)).isFalse();
    }
}
