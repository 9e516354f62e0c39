package io.corral.http;

import io.corral.config.Config;
import io.corral.config.HttpLimitSettings;
import io.corral.config.WorkerSettings;

/** The request limits the pipeline enforces, read once from the {@link Config}. */
record HttpLimits(int requestLine, int requestFields, int requestFieldSize, int requestBody, int workerConnections) {

    static HttpLimits from(Config config) {
        return new HttpLimits(
                config.get(HttpLimitSettings.LIMIT_REQUEST_LINE),
                config.get(HttpLimitSettings.LIMIT_REQUEST_FIELDS),
                config.get(HttpLimitSettings.LIMIT_REQUEST_FIELD_SIZE),
                config.get(HttpLimitSettings.LIMIT_REQUEST_BODY),
                config.get(WorkerSettings.WORKER_CONNECTIONS));
    }

    /**
     * Netty counts the head's field bytes as one sum; our per-field and count limits are checked after decoding,
     * so the sum only has to admit every head those two allow.
     */
    int headerBytes() {
        return (int) Math.min(Integer.MAX_VALUE, (long) requestFields * (requestFieldSize + 2));
    }
}
