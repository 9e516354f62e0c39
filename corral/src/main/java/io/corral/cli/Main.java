package io.corral.cli;

import ch.qos.logback.classic.Level;
import io.corral.app.App;
import io.corral.config.CliSpec;
import io.corral.config.Config;
import io.corral.config.LoggingSettings;
import io.corral.worker.AppLoadException;
import io.corral.worker.AppLoader;
import io.corral.worker.Worker;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code corral} command. Maps every way of stopping to an {@link ExitCode} here and nowhere else, with one
 * clear line on stderr (a stack trace only at {@code --log-level debug}).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Before the first logger exists: the log pattern shows the pid, as Gunicorn's does.
        System.setProperty("PID", Long.toString(ProcessHandle.current().pid()));
        System.exit(run(args).code());
    }

    static ExitCode run(String... args) {
        CliSpec cli = new CliSpec(version());
        CliSpec.Parsed parsed;
        try {
            parsed = cli.parse(args);
        } catch (Config.InvalidSetting e) {
            System.err.println("corral: " + e.getMessage());
            return ExitCode.USAGE;
        }
        if (parsed.helpRequested()) {
            System.out.print(cli.usage());
            return ExitCode.OK;
        }
        if (parsed.versionRequested()) {
            System.out.println(cli.version());
            return ExitCode.OK;
        }
        Config config = parsed.config();
        setLogLevel(config.get(LoggingSettings.LOG_LEVEL));
        Logger log = LoggerFactory.getLogger(Main.class);
        boolean debug = config.get(LoggingSettings.LOG_LEVEL).equals("debug");
        log.info("Starting corral {}", version());
        try {
            App app = AppLoader.load(parsed.appClass());
            Worker worker = Worker.boot(config, app);
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(() -> {
                log.info("Shutting down");
                worker.close();
            }));
            worker.listen(config);
            worker.awaitStop();
            return ExitCode.OK;
        } catch (AppLoadException e) {
            log.error("App failed to load: {}", e.getMessage(), debug ? e : null);
            return ExitCode.APP_LOAD_ERROR;
        } catch (IOException e) {
            log.error("{}", e.getMessage(), debug ? e : null);
            return ExitCode.ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.ERROR;
        }
    }

    private static void setLogLevel(String level) {
        var root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(switch (level) {
            case "debug" -> Level.DEBUG;
            case "warning" -> Level.WARN;
            case "error", "critical" -> Level.ERROR;
            default -> Level.INFO;
        });
    }

    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
