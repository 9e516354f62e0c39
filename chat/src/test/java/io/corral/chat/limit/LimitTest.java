package io.corral.chat.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitTest {

    @Test
    void limitsParseAndBadOnesSayWhich() {
        assertThat(Limit.parse("30/10s")).isEqualTo(new Limit(30, Duration.ofSeconds(10)));
        assertThat(Limit.parse("5/1m").window()).isEqualTo(Duration.ofMinutes(1));
        assertThat(Limit.parse("off").isOff()).isTrue();
        for (String bad : new String[] {"", "30", "30/", "0/1m", "5/0s", "5/1w", "-1/1m", "5 / 1m"}) {
            assertThatThrownBy(() -> Limit.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ChatLimits.fromEnvironment(Map.of("CHAT_LIMIT_POSTS", "lots")))
                .hasMessageContaining("CHAT_LIMIT_POSTS=lots");
    }

    @Test
    void theWaitIsUntilTheCountThNewestLeavesTheWindow() {
        var limit = new Limit(3, Duration.ofSeconds(10));
        assertThat(limit.retryAfterSeconds(null, 50_000)).as("fewer than 3 in the window").isZero();
        assertThat(limit.retryAfterSeconds(45_000L, 50_000)).isEqualTo(5);
        assertThat(limit.retryAfterSeconds(40_001L, 50_000)).as("rounded up, never 0 while refused").isEqualTo(1);
        assertThat(limit.retryAfterSeconds(40_000L, 50_000)).isZero();
        assertThat(Limit.OFF.retryAfterSeconds(49_999L, 50_000)).isZero();
    }

    @Test
    void ipv6AddressesCountByTheirSlash64() {
        assertThat(AddressKey.of("2001:db8:1:2:aaaa::1")).isEqualTo(AddressKey.of("2001:db8:1:2:ffff::9"))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(AddressKey.of("2001:db8:1:3::1")).isNotEqualTo(AddressKey.of("2001:db8:1:2::1"));
        assertThat(AddressKey.of("203.0.113.9")).isEqualTo("203.0.113.9");
        assertThat(AddressKey.of("unix")).isEqualTo("unix");
    }
}
