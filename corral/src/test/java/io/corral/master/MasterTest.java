package io.corral.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.cli.ExitCode;
import io.corral.control.ControlMessage;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The supervisor's decisions with fake workers and a clock moved by hand, in milliseconds (Gunicorn's
 * {@code test_arbiter.py}): each case is an order of events that went wrong once, or could.
 */
class MasterTest {
    @BeforeAll
    static void quiet() {
        QuietLogs.off();
    }

    @AfterAll
    static void loud() {
        QuietLogs.on();
    }

    private static void allReady(FakeWorld world) throws Exception {
        for (FakeWorld.Worker w : world.alive()) {
            WorkerHandle h = world.handle(w);
            if (h != null && h.state == WorkerHandle.State.BOOTING && !w.leaving()) {
                world.say(w, new ControlMessage.Ready());
            }
        }
        world.tick();
    }

    private static List<FakeWorld.Worker> stopAsked(FakeWorld world) {
        return world.alive().stream().filter(FakeWorld.Worker::leaving).toList();
    }

    @Test
    void aHupDuringAReloadSupersedesTheBootingGenerationAndKeepsTheServingOne() throws Exception {
        var world = new FakeWorld(2);
        world.tick();
        allReady(world);
        List<FakeWorld.Worker> serving = world.alive();
        assertThat(world.serving()).isEqualTo(2);

        world.signal("HUP");
        world.tick();  // generation 2 boots
        world.signal("HUP");
        world.tick();  // generation 3 supersedes it
        assertThat(world.serving()).as("the serving generation serves on").isEqualTo(2);
        assertThat(serving).noneMatch(FakeWorld.Worker::leaving);
        List<FakeWorld.Worker> superseded = stopAsked(world);
        assertThat(superseded).as("gracefully: one may have accepted a connection already").hasSize(2)
                .allMatch(w -> w.stopAsked == ControlMessage.StopMode.REPLACED);

        allReady(world);
        assertThat(serving).allMatch(w -> w.stopAsked == ControlMessage.StopMode.REPLACED);
        assertThat(world.master.reloading()).isFalse();
        assertThat(world.lastStatus()).isEqualTo("Serving with 2 workers (generation 3)");
    }

    @Test
    void aReloadThatFailsAfterOneNewWorkerIsReadyNeverLowersTheServingCount() throws Exception {
        var world = new FakeWorld(2);
        world.tick();
        allReady(world);
        world.signal("HUP");
        world.tick();
        List<FakeWorld.Worker> fresh = world.alive().stream().filter(w -> world.handle(w).generation == 2).toList();
        world.say(fresh.get(0), new ControlMessage.Ready());
        world.tick();  // one old worker retires for it
        assertThat(world.serving()).isEqualTo(2);

        world.say(fresh.get(1), new ControlMessage.BootFailed(4, "broken"));
        world.exit(fresh.get(1), 4);
        world.tick();
        assertThat(world.systemd).contains("READY=1\nSTATUS=Reload failed: broken");
        assertThat(world.lastStatus()).endsWith("; the last reload failed: broken");
        assertThat(fresh.get(0).leaving()).as("the new ready worker serves until replaced").isFalse();
        assertThat(world.serving()).isEqualTo(2);
        allReady(world);  // the restored generation's replacement is ready
        assertThat(fresh.get(0).stopAsked).isEqualTo(ControlMessage.StopMode.REPLACED);
        assertThat(world.serving()).isEqualTo(2);
    }

    @Test
    void replacementsThatCannotBootBackOffWhileAnotherServesAndTheMasterStays() throws Exception {
        var world = new FakeWorld(2);
        world.tick();
        allReady(world);
        world.exit(world.alive().getFirst(), 137);
        FakeWorld.Worker survivor = world.alive().getFirst();
        for (int failure = 1; failure <= 6; failure++) {
            world.tick();
            FakeWorld.Worker replacement = world.alive().getLast();
            world.say(replacement, new ControlMessage.BootFailed(4, "the disk is full"));
            world.exit(replacement, 4);
            long before = world.started.size();
            world.tick();
            assertThat(world.started).as("no new worker before the backoff").hasSize((int) before);
            for (long s = 0; s < 1L << Math.min(failure - 1, 5); s++) {
                world.advance(FakeWorld.SECOND);
                world.say(survivor, new ControlMessage.Heartbeat(0));
            }
        }
        assertThat(world.serving()).isEqualTo(1);
        assertThat(world.lastStatus())
                .isEqualTo("Serving with 1 of 2 workers; a worker fails to boot: the disk is full");
        world.tick();
        allReady(world);
        assertThat(world.serving()).isEqualTo(2);
        assertThat(world.lastStatus()).isEqualTo("Serving with 2 workers");
    }

    @Test
    void workersThatCannotBootBeforeTheFirstReadyStopTheMasterWith4() throws Exception {
        var world = new FakeWorld(1);
        assertThatThrownBy(() -> {
            for (int i = 0; i < Master.MAX_BOOT_FAILURES; i++) {
                world.tick();
                FakeWorld.Worker w = world.alive().getFirst();
                world.say(w, new ControlMessage.BootFailed(4, "no database"));
                world.exit(w, 4);
            }
        }).isInstanceOfSatisfying(MasterHalt.class, halt -> {
            assertThat(halt.exitCode()).isEqualTo(ExitCode.APP_LOAD_ERROR);
            assertThat(halt).hasMessage("App failed to load: no database");
        });
    }

    @Test
    void aWorkerSilentPastTheTimeoutIsDumpedThenKilledAndReplaced() throws Exception {
        var world = new FakeWorld(1);
        world.tick();
        allReady(world);
        FakeWorld.Worker hung = world.alive().getFirst();
        world.advance(31 * FakeWorld.SECOND);
        world.tick();
        assertThat(hung.dumped).isTrue();
        assertThat(hung.killed).isFalse();
        world.advance(3 * FakeWorld.SECOND);
        world.tick();
        assertThat(hung.killed).isTrue();
        world.exit(hung, 137);
        world.tick();
        assertThat(world.alive()).hasSize(1).doesNotContain(hung);
    }

    @Test
    void termDrainsEveryWorkerAndHaltsZeroOnceTheyHaveExited() throws Exception {
        var world = new FakeWorld(2);
        world.tick();
        allReady(world);
        world.signal("TERM");
        world.tick();
        assertThat(world.alive()).allMatch(w -> w.stopAsked == ControlMessage.StopMode.GRACEFUL);
        for (FakeWorld.Worker w : world.alive()) {
            world.exit(w, 0);
        }
        assertThatThrownBy(world::tick).isInstanceOfSatisfying(MasterHalt.class,
                halt -> assertThat(halt.exitCode()).isEqualTo(ExitCode.OK));
    }
}
