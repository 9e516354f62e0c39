package io.corral.cli;

import io.corral.config.AppSettings;
import io.corral.config.CliSpec;
import io.corral.config.Config;
import io.corral.master.Master;
import io.corral.master.Release;
import io.corral.worker.AppLoadException;
import io.corral.worker.AppLoader;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code corral} command. Parses the settings, then serves (the master), prints or checks the configuration.
 * Every way of stopping maps to an {@link ExitCode} here or in the master, with one clear line.
 */
public final class Main {
    /** Set by bin/corral to its own path, as invoked (through the install symlink). */
    static final String LAUNCHER_PROPERTY = "corral.launcher";

    private Main() {
    }

    public static void main(String[] args) {
        // Before the first logger exists: the error log shows the pid, as Gunicorn's does.
        System.setProperty("PID", Long.toString(ProcessHandle.current().pid()));
        System.exit(run(System.getenv(), args).code());
    }

    static ExitCode run(Map<String, String> env, String... args) {
        CliSpec cli = new CliSpec(version());
        CliSpec.Parsed parsed;
        try {
            parsed = cli.parse(env, args);
        } catch (Config.InvalidSetting e) {
            System.err.println("corral: " + e.getMessage());
            return ExitCode.USAGE;
        }
        return switch (parsed.action()) {
            case HELP -> {
                System.out.print(cli.usage());
                yield ExitCode.OK;
            }
            case VERSION -> {
                System.out.println(cli.version());
                yield ExitCode.OK;
            }
            case PRINT_CONFIG -> {
                System.out.print(parsed.config().describe());
                yield ExitCode.OK;
            }
            case CHECK_CONFIG -> checkConfig(parsed);
            case SERVE -> new Master(parsed, () -> cli.parse(System.getenv(), args), relaunch(args)).run();
        };
    }

    /**
     * How USR2 starts a new master: through the launcher that started this one (bin/corral, which names itself in
     * {@value #LAUNCHER_PROPERTY}) with the same arguments, so a release switched by its install symlink and a new
     * Java take effect; without a launcher, this JVM's own command line.
     */
    private static List<String> relaunch(String... args) {
        String launcher = System.getProperty(LAUNCHER_PROPERTY);
        if (launcher == null) {
            return null;
        }
        var command = new ArrayList<String>(List.of(launcher));
        command.addAll(List.of(args));
        return command;
    }

    /** --check-config: the settings parsed already; now the app class must load from the workers' classpath. */
    private static ExitCode checkConfig(CliSpec.Parsed parsed) {
        String classpath = AppSettings.workerClasspath(parsed.config());
        String chdir = parsed.config().get(io.corral.config.ProcessSettings.CHDIR);
        try (var loader = classLoader(Release.entriesOf(classpath, Path.of(chdir != null ? chdir : "")
                .toAbsolutePath()))) {
            AppLoader.load(parsed.appClass(), loader);
            System.out.println("corral: configuration OK; app class " + parsed.appClass() + " loads");
            return ExitCode.OK;
        } catch (AppLoadException e) {
            System.err.println("corral: " + e.getMessage());
            return ExitCode.ERROR;
        } catch (Exception e) {
            System.err.println("corral: cannot read the classpath: " + e.getMessage());
            return ExitCode.ERROR;
        }
    }

    /** The workers' classpath, under Corral's own (the app's io.corral.app must be the one checked against). */
    private static URLClassLoader classLoader(List<Path> classpath) throws MalformedURLException {
        var urls = new ArrayList<URL>();
        for (Path entry : classpath) {
            urls.add(entry.toUri().toURL());
        }
        return new URLClassLoader(urls.toArray(URL[]::new), Main.class.getClassLoader());
    }

    /** Corral's version, from the jar's manifest; "dev" when run from classes. */
    public static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
