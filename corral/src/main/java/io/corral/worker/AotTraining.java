package io.corral.worker;

import io.corral.app.App;
import io.corral.cli.ExitCode;
import io.corral.config.BrokerAddress;
import io.corral.config.BrokerSettings;
import io.corral.config.Config;
import io.corral.config.LoggingSettings;
import io.corral.control.ControlCodec;
import io.corral.control.ControlMessage;
import io.corral.logging.Logs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM the master runs, once per release, to make the workers' AOT cache ({@code -XX:AOTCacheOutput}: the JVM
 * writes the cache as this process exits). It boots the app as a worker does, from the settings the master writes
 * to its stdin (never on its command line), sends the app's warm-up requests through its own pipeline on a private
 * loopback port, and exits: it never touches the service's sockets, and never reaches the other workers (its
 * broker is its own).
 */
public final class AotTraining {
    private static final Logger log = LoggerFactory.getLogger(AotTraining.class);
    /** More than a worker's warm-up: the cache keeps the method profiles of what ran (JEP 515). */
    static final int ROUNDS = 200;

    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("PID", Long.toString(ProcessHandle.current().pid()));
        Logs.errorLogToStderr("info");
        var order = (ControlMessage.Configure) ControlCodec.fromJson(System.in.readAllBytes());
        System.exit(train(order).code());
    }

    static ExitCode train(ControlMessage.Configure order) {
        Map<String, List<String>> settings = new HashMap<>(order.settings());
        settings.put(BrokerSettings.BROKER.name(), List.of(new BrokerAddress.Local().toString()));
        Config config = Config.fromExplicitValues(settings);
        Logs.errorLogToStderr(config.get(LoggingSettings.LOG_LEVEL));
        App app;
        try {
            app = AppLoader.load(order.appClass());
        } catch (AppLoadException e) {
            log.error("AOT training: the app failed to load: {}", e.getMessage());
            return ExitCode.APP_LOAD_ERROR;
        }
        try (Worker worker = Worker.boot(config, app)) {
            int answered = worker.server().warmUp(ROUNDS, java.time.Duration.ofMinutes(1));
            log.info("AOT training: {} warm-up requests answered", answered);
        } catch (AppLoadException e) {
            log.error("AOT training: {}", e.getMessage());
            return ExitCode.APP_LOAD_ERROR;
        }
        return ExitCode.OK;
    }
}
