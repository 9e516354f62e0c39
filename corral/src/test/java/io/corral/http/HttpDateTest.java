package io.corral.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpDateTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0|Thu, 01 Jan 1970 00:00:00 GMT",
            "784111777|Sun, 06 Nov 1994 08:49:37 GMT",
            "1795564800|Wed, 25 Nov 2026 00:00:00 GMT",
            "1772694489|Thu, 05 Mar 2026 07:08:09 GMT"})
    void formatsImfFixdate(long epochSecond, String expected) {
        assertThat(HttpDate.format(epochSecond)).isEqualTo(expected);
    }
}
