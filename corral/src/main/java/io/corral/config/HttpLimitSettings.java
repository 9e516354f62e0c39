package io.corral.config;

import java.util.List;

/** Request size limits, with Gunicorn's names and defaults. */
public final class HttpLimitSettings {
    private HttpLimitSettings() {
    }

    public static final Setting<Integer> LIMIT_REQUEST_LINE = Setting.of("limit-request-line", Section.HTTP_LIMITS,
            "INT", Parsers.intBetween(64, 65536), "4094",
            "Longest request line in bytes (method, target, version); longer is answered 414.");

    public static final Setting<Integer> LIMIT_REQUEST_FIELDS = Setting.of("limit-request-fields", Section.HTTP_LIMITS,
            "INT", Parsers.intBetween(1, 32768), "100",
            "Most header fields in a request; more is answered 431.");

    public static final Setting<Integer> LIMIT_REQUEST_FIELD_SIZE = Setting.of("limit-request-field-size",
            Section.HTTP_LIMITS, "INT", Parsers.intBetween(64, 65536), "8190",
            "Longest header field in bytes (name, colon and value); longer is answered 431.");

    public static final Setting<Integer> LIMIT_REQUEST_BODY = Setting.of("limit-request-body", Section.HTTP_LIMITS,
            "BYTES", Parsers.intBetween(0, Integer.MAX_VALUE - 8), "1048576",
            "Largest request body in bytes, sent whole or chunked; larger is answered 413.");

    static final List<Setting<?>> ALL =
            List.of(LIMIT_REQUEST_LINE, LIMIT_REQUEST_FIELDS, LIMIT_REQUEST_FIELD_SIZE, LIMIT_REQUEST_BODY);
}
