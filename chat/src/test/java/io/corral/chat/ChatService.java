package io.corral.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.testing.CorralProcess;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Corral Chat under a real master with {@code workers} worker processes, on a fresh SQLite file or a fresh MariaDB
 * database (brought to the schema by the migrate command, as an operator does), dropped again at close.
 */
final class ChatService implements AutoCloseable {
    private final CorralProcess corral;
    private final Map<String, String> env;
    private final boolean mariadb;

    private ChatService(CorralProcess corral, Map<String, String> env, boolean mariadb) {
        this.corral = corral;
        this.env = env;
        this.mariadb = mariadb;
    }

    /**
     * Corral Chat in this JVM (one worker, for API tests) on {@code database}'s environment with {@code settings}
     * over it; fast password hashes, as these suites create many accounts. The map it ran with goes into {@code env}.
     */
    static io.corral.testing.TestServer inProcess(Map<String, String> database, Map<String, String> settings,
                                                  Map<String, String> env) throws Exception {
        env.putAll(database);
        env.put("CHAT_ARGON2_MEMORY_KIB", "1024");
        env.putAll(settings);
        return io.corral.testing.TestServer.start(new ChatApp(env), "--limit-request-body", "65536");
    }

    static ChatService start(String database, int workers, Map<String, String> settings) throws Exception {
        return start(database, workers, settings, List.of());
    }

    /** As above, with {@code corralArguments} added to the master's command line. */
    static ChatService start(String database, int workers, Map<String, String> settings,
                             List<String> corralArguments) throws Exception {
        boolean mariadb = database.equals("mariadb");
        Map<String, String> env = new HashMap<>(mariadb ? MariaDbServer.createDatabase()
                : Map.of("DATABASE_URL", "jdbc:sqlite:" + Files.createTempDirectory("chat-") + "/chat.db"));
        env.put("CHAT_ARGON2_MEMORY_KIB", "1024");
        env.putAll(settings);
        if (mariadb) {
            var migrate = new ProcessBuilder(javaCommand(Migrate.class.getName())).inheritIO();
            migrate.environment().putAll(env);
            assertThat(migrate.start().waitFor()).as("the migrate command's exit code").isZero();
        }
        var arguments = new java.util.ArrayList<>(List.of("-w", Integer.toString(workers), "-b", "127.0.0.1:0"));
        arguments.addAll(corralArguments);
        arguments.add(ChatApp.class.getName());
        var corral = CorralProcess.start(env, List.of(), arguments.toArray(String[]::new));
        var service = new ChatService(corral, env, mariadb);
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> corral.count(Pattern.compile("worker \\d+ \\(pid \\d+\\) ready")) >= workers);
        } catch (Throwable e) {
            service.close();  // not left running, with its database connections, for the tests that follow
            throw e;
        }
        return service;
    }

    CorralProcess corral() {
        return corral;
    }

    int port() {
        return corral.port();
    }

    static List<String> javaCommand(String mainClass) {
        return List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), mainClass);
    }

    @Override
    public void close() throws Exception {
        try {
            corral.close();
        } finally {
            if (mariadb) {
                MariaDbServer.dropDatabase(env);
            }
        }
    }
}
