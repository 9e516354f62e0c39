package io.corral.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.chat.MariaDbServer;
import io.corral.testing.RequiredService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/deployment.md's migrate step as written, {@code bin/corral-migrate /etc/corral-chat/environment} from the
 * release archive, as the service user, with Debian's Java 17 first on the PATH and no JAVA_HOME: it must find
 * Java 25 by itself and read the environment file as systemd's EnvironmentFile= does.
 */
class MigrateIT {
    /** Debian's default JDK, the `java` an operator's PATH has (bookworm: 17). */
    private static final Path DEBIAN_JAVA = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin");

    @TempDir
    Path tmp;
    private Path home;

    @BeforeEach
    void unpack() throws Exception {
        home = Release.unpack(Files.createDirectory(tmp.resolve("release")));
    }

    private record Run(int exitCode, String output) {
    }

    private Run migrate(Path environmentFile) throws Exception {
        List<String> command = new ArrayList<>(ServiceUser.prefix(tmp));
        command.addAll(List.of(home.resolve("bin/corral-migrate").toString(), environmentFile.toString()));
        var builder = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true);
        builder.environment().remove("JAVA_HOME");
        builder.environment().put("PATH", DEBIAN_JAVA + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.waitFor(), output.strip());
    }

    private Path environmentFile(String text) throws Exception {
        return Files.writeString(tmp.resolve("environment"), text);
    }

    @Test
    void debiansJava17IsFirstOnThePathOfTheseTests() throws Exception {
        RequiredService.require(DEBIAN_JAVA.resolve("java").toString(), "apt-get install openjdk-17-jre-headless");
        Process version = new ProcessBuilder(DEBIAN_JAVA.resolve("java").toString(), "-version")
                .redirectErrorStream(true).start();
        assertThat(new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("\"17.");
    }

    @Test
    void onSqliteItCreatesTheSchemaOnceAndThenSaysItIsCurrent() throws Exception {
        Path data = ServiceUser.owns(Files.createDirectory(tmp.resolve("data")));
        String url = "jdbc:sqlite:" + data.resolve("chat.db");
        Path environment = environmentFile("# /etc/corral-chat/environment\n\nDATABASE_URL=\"" + url + "\"\n");

        Run first = migrate(environment);
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).isEqualTo("migrate: " + url + ": 3 migration(s) applied; schema is current");
        Run again = migrate(environment);
        assertThat(again.output()).isEqualTo("migrate: " + url + ": 0 migration(s) applied; schema is current");
        assertThat(again.exitCode()).isZero();
    }

    @Test
    void onMariaDbItMigratesWithThePasswordFromItsFile() throws Exception {
        Map<String, String> database = MariaDbServer.createDatabase();
        try {
            Path password = Files.writeString(tmp.resolve("database-password"), database.get("DATABASE_PASSWORD")
                    + "\n");
            Path environment = environmentFile("DATABASE_URL=" + database.get("DATABASE_URL") + "\n"
                    + "DATABASE_USER=" + database.get("DATABASE_USER") + "\n"
                    + "DATABASE_PASSWORD_FILE=" + password + "\n");

            Run first = migrate(environment);
            assertThat(first.exitCode()).as(first.output()).isZero();
            assertThat(first.output()).isEqualTo("migrate: " + database.get("DATABASE_URL")
                    + ": 3 migration(s) applied; schema is current");
            assertThat(migrate(environment).output()).endsWith(": 0 migration(s) applied; schema is current");
        } finally {
            MariaDbServer.dropDatabase(database);
        }
    }

    @Test
    void aBrokenEnvironmentFileIsRefusedWithTheLineThatIsWrong() throws Exception {
        Run run = migrate(environmentFile("DATABASE_URL=jdbc:sqlite:x.db\nexport DATABASE_USER\n"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).isEqualTo("corral-migrate: " + tmp.resolve("environment")
                + ": not a KEY=VALUE line: export DATABASE_USER");
    }
}
