package io.corral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Exit codes, as the one place that maps failures to them decides. */
class MainTest {

    @Test
    void badValueIsAUsageError() {
        assertThat(Main.run("--backlog", "none", "x.App")).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void unknownFlagIsAUsageError() {
        assertThat(Main.run("--no-such-flag", "x.App")).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void missingAppClassIsAnAppLoadError() {
        assertThat(Main.run("-b", "127.0.0.1:0", "no.such.App")).isEqualTo(ExitCode.APP_LOAD_ERROR);
    }

    @Test
    void classThatIsNotAnAppIsAnAppLoadError() {
        assertThat(Main.run("-b", "127.0.0.1:0", "java.lang.String")).isEqualTo(ExitCode.APP_LOAD_ERROR);
    }

    @Test
    void appWhoseStartThrowsIsAnAppLoadError() {
        assertThat(Main.run("-b", "127.0.0.1:0", FailingStartApp.class.getName())).isEqualTo(ExitCode.APP_LOAD_ERROR);
    }

    @Test
    void helpIsNotAnError() {
        assertThat(Main.run("--help")).isEqualTo(ExitCode.OK);
    }
}
