package io.corral.master;

import io.corral.config.AppSettings;
import io.corral.config.Config;
import io.corral.config.ProcessSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Starts worker JVMs. A child JVM inherits no descriptor above 2, so it gets only what it needs to call home: the
 * control socket's path, its id and how many sockets to expect; everything else (settings, secrets among them) comes
 * over the control channel, never on a command line that {@code ps} shows. The process is named
 * {@code corral: worker [NAME]} for {@code ps}, through bash's {@code exec -a}.
 */
final class WorkerLauncher {
    /** systemd's variables are the master's alone (NotifyAccess=main; sockets adopted once). */
    private static final List<String> MASTER_ONLY_ENV = List.of("NOTIFY_SOCKET", "LISTEN_PID", "LISTEN_FDS",
            "LISTEN_FDNAMES", "WATCHDOG_USEC", "WATCHDOG_PID", "CORRAL_CMD_ARGS", BinaryUpgrade.SOCKET_ENV,
            BinaryUpgrade.COUNT_ENV);

    /** bash's exec under the name {@code ps} shows: {@code $0} the name, the command after it. */
    private static final String EXEC_NAMED = "exec -a \"$0\" \"$@\"";

    private final Path controlSocket;
    private final int socketCount;
    private final Path nativeDir;
    private final WorkerAotCache aot;
    private final String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    WorkerLauncher(Path controlSocket, int socketCount, Path nativeDir, WorkerAotCache aot) {
        this.controlSocket = controlSocket;
        this.socketCount = socketCount;
        this.nativeDir = nativeDir;
        this.aot = aot;
    }

    /** Starts worker {@code id} of {@code release}, the code its generation runs. */
    Process launch(int id, Config config, String appClass, Release release) throws IOException {
        var options = new ArrayList<String>();
        Path aotCache = aot.forLaunch(config, appClass, release);
        if (aotCache != null) {
            options.add("-XX:AOTCache=" + aotCache);
        }
        var builder = new ProcessBuilder(command(config, appClass, "worker", List.of(), EXEC_NAMED, options, release,
                "io.corral.worker.WorkerMain"));
        environment(builder, config);
        builder.environment().put("CORRAL_CONTROL", controlSocket.toString());
        builder.environment().put("CORRAL_WORKER_ID", Integer.toString(id));
        builder.environment().put("CORRAL_SOCKETS", Integer.toString(socketCount));
        return builder.start();
    }

    /**
     * Starts the JVM that makes the workers' AOT cache for {@code release} ({@link WorkerAotCache}): a worker's
     * command, user and environment, niced, with {@code -XX:AOTCacheOutput}, no control socket and no sockets. Its
     * output goes to {@code output}, opened by the shell after the switch to the workers' user: a root master
     * never opens a path in a directory that user may write. The caller writes its settings to its stdin.
     */
    Process launchTraining(Config config, String appClass, Release release, Path cache, Path output)
            throws IOException {
        var builder = new ProcessBuilder(command(config, appClass, "aot-training", List.of("nice", "-n", "10"),
                "exec >\"$CORRAL_AOT_OUTPUT\" 2>&1 && " + EXEC_NAMED, List.of("-XX:AOTCacheOutput=" + cache),
                release, "io.corral.worker.AotTraining"));
        environment(builder, config);
        builder.environment().put("CORRAL_AOT_OUTPUT", output.toString());
        return builder.redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private List<String> command(Config config, String appClass, String role, List<String> prefix, String shell,
                                 List<String> options, Release release, String mainClass) throws IOException {
        var command = new ArrayList<String>();
        command.addAll(dropPrivileges(config));
        command.addAll(prefix);
        command.addAll(List.of("bash", "-c", shell, processName(config, appClass, role)));
        command.add(javaCommand);
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Dio.netty.native.workdir=" + nativeDir);
        String jvmOptions = config.get(AppSettings.WORKER_JVM_OPTIONS);
        if (!jvmOptions.isBlank()) {
            command.addAll(Arrays.asList(jvmOptions.strip().split("\\s+")));
        }
        command.addAll(options);
        command.addAll(List.of("-cp", release.classpathForLaunch(), mainClass));
        return command;
    }

    /** The variables {@code --env KEY=VALUE} adds to the workers' environment, in order. */
    static Map<String, String> envSettings(Config config) {
        var variables = new java.util.LinkedHashMap<String, String>();
        for (String pair : config.all(ProcessSettings.ENV)) {
            int eq = pair.indexOf('=');
            variables.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return variables;
    }

    private static void environment(ProcessBuilder builder, Config config) {
        Map<String, String> env = builder.environment();
        MASTER_ONLY_ENV.forEach(env::remove);
        env.putAll(envSettings(config));
        String databaseUrl = config.get(AppSettings.DATABASE_URL);
        if (databaseUrl != null) {
            env.put("DATABASE_URL", databaseUrl);
        }
        env.put("CORRAL_LOG_FORMAT", io.corral.logging.Logs.format());  // the master's: one file, one format
        String chdir = config.get(ProcessSettings.CHDIR);
        if (chdir != null) {
            builder.directory(Path.of(chdir).toFile());
        }
    }

    /** {@code corral: worker [io.corral.chat.ChatApp]}, or with --name. */
    static String processName(Config config, String appClass, String role) {
        String name = config.get(ProcessSettings.NAME);
        return "corral: " + role + " [" + (name != null ? name : appClass) + "]";
    }

    /** setpriv (util-linux, in every Debian) switches user and group before exec; the master needs to be root. */
    private static List<String> dropPrivileges(Config config) {
        String user = config.get(ProcessSettings.USER);
        String group = config.get(ProcessSettings.GROUP);
        if (user == null && group == null) {
            return List.of();
        }
        var command = new ArrayList<>(List.of("setpriv"));
        if (user != null) {
            command.addAll(List.of("--reuid=" + user, "--init-groups"));
        }
        if (group != null) {
            command.add("--regid=" + group);
        }
        command.add("--");
        return command;
    }
}
