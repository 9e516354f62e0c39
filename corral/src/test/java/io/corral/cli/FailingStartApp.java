package io.corral.cli;

import io.corral.app.App;
import io.corral.app.Routes;

/** An app whose start() fails, as one whose database is unreachable would. */
public final class FailingStartApp implements App {
    @Override
    public void configure(Routes routes) {
        routes.get("/health", request -> "ok");
    }

    @Override
    public void start() {
        throw new IllegalStateException("database unreachable");
    }
}
