package io.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.http.EngineTestApp;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exit codes of what runs without serving; serving is tested with real processes (CorralProcessIT, MasterIT). */
class MainTest {
    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void badValueIsAUsageError() {
        assertThat(Main.run(NO_ENV, "--backlog", "none", "x.App")).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void unknownFlagIsAUsageError() {
        assertThat(Main.run(NO_ENV, "--no-such-flag", "x.App")).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void badEnvironmentArgumentsAreAUsageError() {
        assertThat(Main.run(Map.of("CORRAL_CMD_ARGS", "--workers zero"), "x.App")).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void checkConfigAcceptsALoadableApp() {
        assertThat(Main.run(NO_ENV, "--check-config", EngineTestApp.class.getName())).isEqualTo(ExitCode.OK);
    }

    @Test
    void checkConfigRefusesAMissingAppClass() {
        assertThat(Main.run(NO_ENV, "--check-config", "no.such.App")).isEqualTo(ExitCode.ERROR);
    }

    @Test
    void checkConfigRefusesAClassThatIsNotAnApp() {
        assertThat(Main.run(NO_ENV, "--check-config", "java.lang.String")).isEqualTo(ExitCode.ERROR);
    }

    @Test
    void printConfigAndHelpAreNotErrors() {
        assertThat(Main.run(NO_ENV, "--print-config")).isEqualTo(ExitCode.OK);
        assertThat(Main.run(NO_ENV, "--help")).isEqualTo(ExitCode.OK);
    }
}
