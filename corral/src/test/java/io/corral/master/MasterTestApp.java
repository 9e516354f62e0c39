package io.corral.master;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.corral.app.App;
import io.corral.app.Routes;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * The app master tests run in real worker processes. Besides ordinary routes, it can hang an event loop the way a
 * stuck logging backend does: an appender on the request guard's logger that never returns for one marked request
 * (the guard logs refusals on the event loop).
 */
public final class MasterTestApp implements App {
    static final String LOOP_BLOCKER = "X-Block-The-Loop";

    @Override
    public void configure(Routes routes) {
        routes.get("/health", request -> Map.of("status", "healthy"))
                .get("/pid", request -> Map.of("pid", ProcessHandle.current().pid()))
                .get("/env/{name}", request -> String.valueOf(System.getenv(request.pathParam("name"))))
                .get("/cwd", request -> System.getProperty("user.dir"))
                .get("/boom", request -> {
                    throw new IllegalStateException("boom, on purpose");
                })
                .get("/sleep/{ms}", request -> {
                    long ms = Long.parseLong(request.pathParam("ms"));
                    // Printed, so a test reading the error log (with --capture-output) knows the request is in.
                    System.out.println("sleeping " + ms + " ms in " + ProcessHandle.current().pid());
                    System.out.flush();
                    Thread.sleep(ms);
                    return Map.of("slept", ms);
                });
    }

    /**
     * A deploy can be broken on purpose: a {@code broken-deploy.txt} on the worker's classpath (a directory the test
     * adds with --classpath, as a new jar would be) makes start() fail with its text, as a missing setting would.
     */
    static final String BROKEN_DEPLOY = "broken-deploy.txt";

    @Override
    public void start() throws java.io.IOException {
        var marker = MasterTestApp.class.getClassLoader().getResource(BROKEN_DEPLOY);
        if (marker != null) {
            try (var in = marker.openStream()) {
                throw new IllegalStateException("deliberately broken deploy: "
                        + new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip());
            }
        }
        var guardLog = (Logger) LoggerFactory.getLogger("io.corral.http.RequestGuard");
        var blocker = new AppenderBase<ILoggingEvent>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getFormattedMessage().contains(LOOP_BLOCKER)) {
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        blocker.setContext(guardLog.getLoggerContext());
        blocker.start();
        guardLog.addAppender(blocker);
    }
}
