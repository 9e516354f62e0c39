package io.corral.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AllowedOriginsTest {
    private final AllowedOrigins own = AllowedOrigins.parse("");

    @Test
    void withoutAListTheOriginMustBeTheRequestsOwnSchemeHostAndPort() {
        assertThat(own.allows("http://127.0.0.1:8097", "http", "127.0.0.1:8097")).isTrue();
        assertThat(own.allows("http://127.0.0.1:8098", "http", "127.0.0.1:8097")).as("another port").isFalse();
        assertThat(own.allows("https://127.0.0.1:8097", "http", "127.0.0.1:8097")).as("another scheme").isFalse();
        assertThat(own.allows("https://chat.example.com", "https", "chat.example.com")).isTrue();
        assertThat(own.allows("https://chat.example.com:443", "https", "Chat.Example.com")).isTrue();
        assertThat(own.allows("https://chat.example.com", "http", "chat.example.com")).isFalse();
        assertThat(own.allows("http://chat.example.com", "http", "chat.example.com:8080")).isFalse();
        assertThat(own.allows("http://[::1]:8097", "http", "[::1]:8097")).isTrue();
        assertThat(own.allows("http://evil.example", "http", "chat.example.com")).isFalse();
        assertThat(own.allows("null", "http", "chat.example.com")).as("a sandboxed page").isFalse();
        assertThat(own.allows(null, "http", "chat.example.com")).as("not a browser").isTrue();
        assertThat(own.allows("http://chat.example.com", "http", null)).isFalse();
    }

    @Test
    void aListNamesTheOriginsExactly() {
        var listed = AllowedOrigins.parse("https://chat.example.com, https://app.example.com:8443");
        assertThat(listed.allows("https://app.example.com:8443", "http", "10.0.0.5:8097")).isTrue();
        assertThat(listed.allows("https://app.example.com", "http", "app.example.com")).isFalse();
        assertThat(AllowedOrigins.parse("*").allows("http://any.example", "http", "x")).isTrue();
    }
}
