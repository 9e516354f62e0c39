package io.corral.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonContentTypeTest {

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "Application/JSON", "application/json; charset=utf-8",
        "application/json;charset=\"UTF-8\"", "application/problem+json", "application/vnd.api+json"})
    void jsonIsRead(String type) {
        assertThat(JsonContentType.accepts(type)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "text/plain; a=application/json", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "application/json; charset=latin1", "text/json+json", "", "json",
        "applicationx/json+json"})
    void whatAForeignPageCanSendWithoutAPreflightIsNot(String type) {
        assertThat(JsonContentType.accepts(type)).isFalse();
    }
}
