package io.corral.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CliSpecTest {
    private final CliSpec cli = new CliSpec("test");

    @Test
    void defaultsApplyWhenNothingIsGiven() {
        Config config = cli.parse("my.App").config();
        assertThat(config.get(WorkerSettings.KEEP_ALIVE)).isEqualTo(5.0);
        assertThat(config.get(HttpLimitSettings.LIMIT_REQUEST_LINE)).isEqualTo(4094);
        assertThat(config.all(ServerSocketSettings.BIND)).containsExactly(new BindAddress.Tcp("127.0.0.1", 8000));
        assertThat(config.source(WorkerSettings.KEEP_ALIVE)).isEqualTo(Config.Source.DEFAULT);
    }

    @Test
    void gunicornFlagsAreTaken() {
        CliSpec.Parsed parsed = cli.parse("-b", "127.0.0.1:8097", "-b", "unix:/tmp/c.sock", "--keep-alive", "2",
                "--worker-connections", "50", "--log-level", "DEBUG", "my.App");
        assertThat(parsed.appClass()).isEqualTo("my.App");
        assertThat(parsed.config().all(ServerSocketSettings.BIND)).hasSize(2);
        assertThat(parsed.config().get(WorkerSettings.KEEP_ALIVE)).isEqualTo(2.0);
        assertThat(parsed.config().get(WorkerSettings.WORKER_CONNECTIONS)).isEqualTo(50);
        assertThat(parsed.config().get(LoggingSettings.LOG_LEVEL)).isEqualTo("debug");
        assertThat(parsed.config().source(WorkerSettings.KEEP_ALIVE)).isEqualTo(Config.Source.COMMAND_LINE);
    }

    @Test
    void badValueNamesTheSettingTheValueItsSourceAndTheRule() {
        assertThatThrownBy(() -> cli.parse("--worker-connections", "0", "my.App"))
                .isInstanceOf(Config.InvalidSetting.class)
                .hasMessage("--worker-connections=0 (from the command line): must be between 1 and 1000000");
    }

    @Test
    void unknownFlagSuggestsTheNearestOne() {
        assertThatThrownBy(() -> cli.parse("--keep-alve", "3", "my.App"))
                .isInstanceOf(Config.InvalidSetting.class)
                .hasMessageContaining("'--keep-alve'")
                .hasMessageContaining("did you mean")
                .hasMessageContaining("--keep-alive");
    }

    @Test
    void missingAppClassIsAUsageError() {
        assertThatThrownBy(() -> cli.parse("-b", "127.0.0.1:8097"))
                .isInstanceOf(Config.InvalidSetting.class)
                .hasMessageStartingWith("missing APP_CLASS");
    }

    @Test
    void everySettingIsAnOptionWithItsDefaultInTheHelp() {
        String usage = cli.usage();
        String unwrapped = usage.replaceAll("\\s+", "");
        for (Setting<?> setting : Settings.ALL) {
            assertThat(usage).contains(setting.flag());
            if (setting.shownDefault() != null && !setting.toggle()) {
                assertThat(unwrapped).contains("[default:" + setting.shownDefault().replaceAll("\\s+", "") + "]");
            }
        }
    }

    @Test
    void everyDefaultIsValid() {
        for (Setting<?> setting : Settings.ALL) {
            if (setting.defaultValue() != null) {
                assertThat(setting.parser().apply(setting.defaultValue())).as(setting.name()).isNotNull();
            }
        }
        assertThat(Settings.ALL.stream().map(Setting::name).distinct().toList()).hasSameSizeAs(Settings.ALL);
        assertThat(List.copyOf(Settings.ALL)).isNotEmpty();
    }
}
