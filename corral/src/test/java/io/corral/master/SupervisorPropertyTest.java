package io.corral.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.cli.ExitCode;
import io.corral.control.ControlMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The supervisor under any order of events: 10,000 seeded random sequences of signals (HUP, TTIN, TTOU, WINCH,
 * USR2, TERM, INT), workers becoming ready, failing to boot, crashing, leaving when asked, and time passing with a
 * worker gone silent, each checked after every step. Seeded sequences rather than jqwik: jqwik runs on JUnit
 * Platform 1, this project on JUnit 6. A failure prints its seed and its steps; {@code -Dcorral.seed=N} replays one.
 *
 * <p>Invariants, after every step:
 * <ol>
 *   <li>while the master is not stopping, the number of serving workers drops only by workers lost in that step
 *       (crashed, or killed for silence) or to the number wanted: after ≥ min(before − lost, desired);</li>
 *   <li>at most one generation has workers booting;</li>
 *   <li>the current generation never has more than {@code desired} workers that are not leaving;</li>
 *   <li>the master halts only when told to stop (exit 0, nothing left), or after
 *       {@value Master#MAX_BOOT_FAILURES} boot failures in a row (exit 3 or 4) with no worker serving, or before
 *       the service was ever ready (a start that cannot complete fails {@code systemctl start});</li>
 * </ol>
 * and at the end of each sequence, once the workers boot and leave as asked: every reload ended (done or
 * abandoned), the count converged to {@code desired}, all of the current generation; then TERM leaves nothing and
 * exits 0.
 */
class SupervisorPropertyTest {
    private static final int SEQUENCES = Integer.getInteger("corral.sequences", 10_000);
    private static final int STEPS = 40;

    @BeforeAll
    static void quiet() {
        QuietLogs.off();
    }

    @AfterAll
    static void loud() {
        QuietLogs.on();
    }

    @Test
    void everyOrderOfEventsKeepsTheSupervisorsPromises() throws Exception {
        Long only = Long.getLong("corral.seed");
        long base = new SplittableRandom().nextLong();
        for (int i = 0; i < (only != null ? 1 : SEQUENCES); i++) {
            long seed = only != null ? only : base + i;
            var run = new Run(seed);
            try {
                run.play();
            } catch (AssertionError | RuntimeException | java.io.IOException e) {
                throw new AssertionError("seed " + seed + " (replay: -Dcorral.seed=" + seed + "), steps:\n  "
                        + String.join("\n  ", run.steps) + "\n" + e.getMessage(), e);
            }
        }
    }

    /** One sequence: the fake world, the random choices, and the steps taken so far (for the report). */
    private static final class Run {
        private final SplittableRandom random;
        private final List<String> steps = new ArrayList<>();
        private FakeWorld world;
        private boolean stopping;
        private boolean halted;

        Run(long seed) {
            this.random = new SplittableRandom(seed);
        }

        void play() throws Exception {
            world = new FakeWorld(1 + random.nextInt(3));
            step("start", () -> 0);
            for (int i = 0; i < STEPS && !halted; i++) {
                randomStep();
            }
            if (!halted && !stopping) {
                settle();
            }
            if (!halted && !stopping) {
                assertThat(world.master.reloading()).as("every reload ended").isFalse();
                assertThat(world.serving()).as("converged to -w").isEqualTo(world.master.desired());
                assertThat(world.master.workers().all()).as("all of the current generation, all ready")
                        .hasSize(world.master.desired()).allMatch(WorkerHandle::serving);
                stopping = true;
                step("TERM", () -> signal("TERM"));
            }
            if (!halted) {
                stopping = true;
                for (int round = 0; round < 10 && !halted; round++) {
                    step("the stopping workers exit", this::exitLeaving);
                }
                assertThat(halted).as("TERM stops the master once its workers are gone").isTrue();
            }
        }

        private void randomStep() throws Exception {
            List<FakeWorld.Worker> booting = world.alive().stream()
                    .filter(w -> state(w) == WorkerHandle.State.BOOTING).toList();
            // A Ready may also cross the master's Stop on the way: any worker not yet reaped can say it.
            List<FakeWorld.Worker> mayBeReady = world.alive().stream()
                    .filter(w -> state(w) != WorkerHandle.State.READY).toList();
            int dice = random.nextInt(100);
            if (dice < 12) {
                step("HUP", () -> signal("HUP"));
            } else if (dice < 16) {
                step("TTIN", () -> world.master.desired() < 5 ? signal("TTIN") : 0);
            } else if (dice < 20) {
                step("TTOU", () -> signal("TTOU"));
            } else if (dice < 21) {
                step("WINCH", () -> signal("WINCH"));
            } else if (dice < 23) {
                step("USR2", () -> signal("USR2"));
            } else if (dice < 24) {
                stopping = true;
                String stop = random.nextBoolean() ? "TERM" : "INT";
                step(stop, () -> signal(stop));
            } else if (dice < 50 && !mayBeReady.isEmpty()) {
                FakeWorld.Worker w = mayBeReady.get(random.nextInt(mayBeReady.size()));
                step("worker " + w.id + " ready", () -> {
                    world.say(w, new ControlMessage.Ready());
                    return 0;
                });
            } else if (dice < 60 && !booting.isEmpty()) {
                FakeWorld.Worker w = booting.get(random.nextInt(booting.size()));
                step("worker " + w.id + " fails to boot", () -> {
                    world.say(w, new ControlMessage.BootFailed(4, "broken"));
                    world.exit(w, 4);
                    return 0;
                });
            } else if (dice < 66 && !world.alive().isEmpty()) {
                List<FakeWorld.Worker> alive = world.alive();
                FakeWorld.Worker w = alive.get(random.nextInt(alive.size()));
                step("worker " + w.id + " crashes", () -> {
                    int lost = serving(w) ? 1 : 0;
                    world.exit(w, 137);
                    return lost;
                });
            } else if (dice < 82) {
                step("the workers asked to leave exit", this::exitLeaving);
            } else {
                long seconds = random.nextInt(10) == 0 ? 31 + random.nextInt(10) : 1 + random.nextInt(3);
                List<FakeWorld.Worker> alive = world.alive();
                FakeWorld.Worker silent = alive.isEmpty() || random.nextInt(4) > 0 ? null
                        : alive.get(random.nextInt(alive.size()));
                step(seconds + " s pass" + (silent == null ? "" : ", worker " + silent.id + " silent"),
                        () -> passTime(seconds, silent));
            }
        }

        /** Lets the workers boot and leave as asked, with time passing, until nothing changes (or 120 rounds). */
        private void settle() throws Exception {
            for (int round = 0; round < 120 && !halted; round++) {
                step("settle: ready, exit, 1 s", () -> {
                    for (FakeWorld.Worker w : world.alive()) {
                        if (state(w) == WorkerHandle.State.BOOTING && !w.leaving()) {
                            world.say(w, new ControlMessage.Ready());
                        }
                    }
                    return exitLeaving() + passTime(1, null);
                });
                boolean quiet = !world.master.reloading() && world.master.workers().all().stream()
                        .allMatch(WorkerHandle::serving) && world.master.workers().all().size()
                        == world.master.desired();
                if (quiet) {
                    return;
                }
            }
        }

        /** Moves the clock, with a heartbeat from every ready worker but {@code silent}; returns those lost. */
        private int passTime(long seconds, FakeWorld.Worker silent) throws Exception {
            for (long s = 0; s < seconds; s++) {
                world.advance(FakeWorld.SECOND);
                for (FakeWorld.Worker w : world.alive()) {
                    if (w != silent && state(w) == WorkerHandle.State.READY) {
                        world.say(w, new ControlMessage.Heartbeat(0));
                    }
                }
            }
            return 0;  // a silent worker is lost when the master aborts it: counted in step()
        }

        private int exitLeaving() throws Exception {
            int lost = 0;
            for (FakeWorld.Worker w : world.alive()) {
                if (w.leaving()) {
                    lost += serving(w) ? 1 : 0;
                    world.exit(w, w.killed ? 137 : 0);
                }
            }
            return lost;
        }

        private int signal(String name) throws Exception {
            world.signal(name);
            return 0;
        }

        private WorkerHandle.State state(FakeWorld.Worker w) {
            WorkerHandle h = world.handle(w);
            return h == null ? null : h.state;
        }

        private boolean serving(FakeWorld.Worker w) {
            WorkerHandle h = world.handle(w);
            return h != null && h.serving() && h.state != WorkerHandle.State.STOPPING;
        }

        /** Runs one step and the loop's tick after it, then checks the invariants. */
        private void step(String name, Step action) throws Exception {
            steps.add(name);
            long before = world.serving();
            java.util.Set<Integer> abortedBefore = aborted();
            int lost;
            try {
                lost = action.run();
                world.tick();
            } catch (MasterHalt halt) {
                halted = true;
                steps.add("-> halt " + halt.exitCode() + ": " + halt.getMessage());
                checkHalt(halt);
                return;
            }
            java.util.Set<Integer> newlyAborted = aborted();
            newlyAborted.removeAll(abortedBefore);
            lost += newlyAborted.size();
            if (!stopping) {
                long floor = Math.min(before - lost, world.master.desired());
                assertThat(world.serving()).as("serving workers after '%s' (before %d, lost %d, desired %d)", name,
                        before, lost, world.master.desired()).isGreaterThanOrEqualTo(floor);
            }
            long bootingGenerations = world.master.workers().all().stream()
                    .filter(h -> h.state == WorkerHandle.State.BOOTING).map(h -> h.generation).distinct().count();
            assertThat(bootingGenerations).as("generations booting at once").isLessThanOrEqualTo(1);
            int generation = world.master.generation();
            long current = world.master.workers().all().stream().filter(h -> h.generation == generation
                    && !h.retiring && h.state != WorkerHandle.State.STOPPING).count();
            if (!stopping) {
                assertThat(current).as("current-generation workers vs desired")
                        .isLessThanOrEqualTo(world.master.desired());
            }
        }

        /** Workers the master is killing for silence: lost by their own fault (a hung worker serves nobody). */
        private java.util.Set<Integer> aborted() {
            return world.master.workers().all().stream().filter(h -> h.abortedAt != 0).map(h -> h.id)
                    .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
        }

        private void checkHalt(MasterHalt halt) {
            if (stopping) {
                assertThat(halt.exitCode()).as("exit after TERM or INT: " + halt.getMessage()).isEqualTo(ExitCode.OK);
                assertThat(world.master.workers().isEmpty()).as("nothing left after a stop").isTrue();
            } else {
                assertThat(halt.exitCode()).as("halt without a stop: " + halt.getMessage())
                        .isIn(ExitCode.APP_LOAD_ERROR, ExitCode.WORKER_BOOT_ERROR);
                if (world.master.announcedReady()) {
                    assertThat(world.serving()).as("halted while a worker served").isZero();
                }
            }
        }
    }

    @FunctionalInterface
    private interface Step {
        /** Does the step; returns how many serving workers it lost by their own death. */
        int run() throws Exception;
    }
}
