package io.corral.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BootPhasesTest {
    @Test
    void eachPhaseIsTheTimeSinceThePreviousMarkAndTheTotalIncludesTheJvm() {
        var now = new AtomicLong(1_000_000_000L);
        var phases = new BootPhases(412_000_000L, now::get);
        now.addAndGet(35_000_000L);
        phases.mark("control");
        now.addAndGet(1_850_000_000L);
        phases.mark("app start");
        now.addAndGet(999_999L);
        phases.mark("sockets");

        assertThat(phases.summary())
                .isEqualTo("Worker boot 2.30 s: jvm 412 ms, control 35 ms, app start 1.85 s, sockets 0 ms");
    }

    @Test
    void anUnknownJvmStartIsLeftOut() {
        var now = new AtomicLong();
        var phases = new BootPhases(0, now::get);
        now.addAndGet(5_000_000L);
        phases.mark("control");
        assertThat(phases.summary()).isEqualTo("Worker boot 5 ms: control 5 ms");
    }
}
