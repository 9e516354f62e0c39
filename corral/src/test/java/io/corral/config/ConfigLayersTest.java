package io.corral.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Precedence, command line > environment > file > default, for each pair; and the file's own rules. */
class ConfigLayersTest {
    private final CliSpec cli = new CliSpec("test");

    @TempDir
    Path tmp;

    private Path file(String text) throws Exception {
        return Files.writeString(tmp.resolve("corral.conf"), text);
    }

    @Test
    void fileBeatsDefault() throws Exception {
        Config config = cli.parse("-c", file("workers = 3\nkeep-alive = 7\n").toString(), "x.App").config();
        assertThat(config.get(WorkerSettings.WORKERS)).isEqualTo(3);
        assertThat(config.source(WorkerSettings.WORKERS)).isEqualTo(Config.Source.FILE);
        assertThat(config.get(WorkerSettings.TIMEOUT)).isEqualTo(30.0);
    }

    @Test
    void environmentBeatsFile() throws Exception {
        Path conf = file("workers = 3\n");
        Config config = cli.parse(Map.of("CORRAL_CMD_ARGS", "-w 5 --keep-alive '9'"), "-c", conf.toString(), "x.App")
                .config();
        assertThat(config.get(WorkerSettings.WORKERS)).isEqualTo(5);
        assertThat(config.get(WorkerSettings.KEEP_ALIVE)).isEqualTo(9.0);
        assertThat(config.source(WorkerSettings.WORKERS)).isEqualTo(Config.Source.ENVIRONMENT);
    }

    @Test
    void commandLineBeatsEnvironmentAndFile() throws Exception {
        Path conf = file("workers = 3\n");
        Config config = cli.parse(Map.of("CORRAL_CMD_ARGS", "-w 5"), "-c", conf.toString(), "-w", "7", "x.App")
                .config();
        assertThat(config.get(WorkerSettings.WORKERS)).isEqualTo(7);
        assertThat(config.source(WorkerSettings.WORKERS)).isEqualTo(Config.Source.COMMAND_LINE);
    }

    @Test
    void environmentMayNameTheConfigFile() throws Exception {
        Path conf = file("max-requests = 100\n");
        Config config = cli.parse(Map.of("CORRAL_CMD_ARGS", "-c " + conf), "x.App").config();
        assertThat(config.get(WorkerSettings.MAX_REQUESTS)).isEqualTo(100);
    }

    @Test
    void repeatedKeysRepeatAndSwitchesTakeBooleans() throws Exception {
        Config config = cli.parse("-c", file("""
                # Gunicorn's names, Gunicorn's meanings
                bind = 127.0.0.1:8097
                bind = unix:/run/corral.sock
                capture_output = true
                worker-jvm-options = -Xmx512m -XX:+UseSerialGC
                """).toString(), "x.App").config();
        assertThat(config.all(ServerSocketSettings.BIND)).hasSize(2);
        assertThat(config.get(LoggingSettings.CAPTURE_OUTPUT)).isTrue();
        assertThat(config.get(AppSettings.WORKER_JVM_OPTIONS)).isEqualTo("-Xmx512m -XX:+UseSerialGC");
    }

    @Test
    void unknownKeyIsAnErrorWithADidYouMean() throws Exception {
        Path conf = file("workers = 2\nworker-conections = 10\n");
        assertThatThrownBy(() -> cli.parse("-c", conf.toString(), "x.App"))
                .isInstanceOf(Config.InvalidSetting.class)
                .hasMessage(conf + " line 2: unknown setting 'worker-conections' (did you mean 'worker-connections'?)");
    }

    @Test
    void badValueInTheFileNamesTheFileAndLine() throws Exception {
        Path conf = file("\nworkers = 0\n");
        assertThatThrownBy(() -> cli.parse("-c", conf.toString(), "x.App"))
                .hasMessage("--workers=0 (from " + conf + " line 2): must be between 1 and 1024");
    }

    @Test
    void missingFileIsAnError() {
        assertThatThrownBy(() -> cli.parse("-c", tmp.resolve("nope.conf").toString(), "x.App"))
                .hasMessageContaining("no such file");
    }

    @Test
    void printConfigShowsValuesAndWhereTheyCameFrom() throws Exception {
        Path conf = file("workers = 3\n");
        String described = cli.parse(Map.of("CORRAL_CMD_ARGS", "--timeout 60"), "-c", conf.toString(),
                "--keep-alive", "2", "--print-config").config().describe();
        assertThat(described).contains("workers = 3    # " + conf + " line 1")
                .contains("timeout = 60    # $CORRAL_CMD_ARGS")
                .contains("keep-alive = 2    # the command line")
                .contains("backlog = 2048    # default");
    }

    @Test
    void theMastersExplicitValuesRebuildTheSameConfigInAWorker() throws Exception {
        Config master = cli.parse("-w", "3", "-b", "127.0.0.1:1", "-b", "unix:/s", "--capture-output", "x.App")
                .config();
        Config worker = Config.fromExplicitValues(master.explicitValues());
        for (Setting<?> setting : Settings.ALL) {
            Object expected = setting.repeatable() ? master.all(setting) : master.get(setting);
            Object actual = setting.repeatable() ? worker.all(setting) : worker.get(setting);
            assertThat(actual).as(setting.name()).isEqualTo(expected);
        }
    }
}
