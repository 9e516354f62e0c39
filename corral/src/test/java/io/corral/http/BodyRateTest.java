package io.corral.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The body's minimum rate as arithmetic on a clock reading. */
class BodyRateTest {
    private static final long SECOND = 1_000_000_000L;
    private final BodyRate rate = new BodyRate(240);

    @Test
    void aBodyHasTheGraceWhateverItHasSentSoFar() {
        assertThat(rate.deadline(0, 0)).isEqualTo(5 * SECOND);
        assertThat(rate.deadline(7 * SECOND, 3)).isEqualTo(12 * SECOND);
    }

    @Test
    void afterTheGraceEachBytePaysForItsShareOfASecond() {
        assertThat(rate.deadline(0, 2400)).isEqualTo(10 * SECOND);
        assertThat(rate.deadline(0, 1200)).as("5 s of bytes: the grace and the rate agree").isEqualTo(5 * SECOND);
        // a byte every 2 s: at 10 s it has 5 bytes, worth 1/48 s
        assertThat(rate.deadline(0, 5)).isLessThan(10 * SECOND);
    }

    @Test
    void hugeBodiesDoNotOverflowTheClock() {
        assertThat(rate.deadline(Long.MAX_VALUE / 4, Long.MAX_VALUE)).isPositive();
        assertThat(new BodyRate(1).deadline(0, Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE * SECOND);
    }

    @Test
    void zeroDisablesIt() {
        assertThat(new BodyRate(0).enabled()).isFalse();
        assertThat(rate.enabled()).isTrue();
    }
}
