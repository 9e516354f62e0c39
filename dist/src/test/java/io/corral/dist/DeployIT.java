package io.corral.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.testing.CorralProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/deployment.md's "Deploying a new release", done as it says, from the release archive: releases unpacked side
 * by side, the install path a symlink switched with {@code ln -sfn}, the unit's ExecStart started through it as an
 * unprivileged user (nobody, standing in for corral-chat), and ExecReload's {@code kill -HUP}. Then what operators do
 * next: delete the old release, delete the one that serves, switch to a broken one; a worker is killed after each.
 */
class DeployIT {
    /** What the second release carries that the first does not: a static file in a jar of its own. */
    private static final String NEW_FILE = "/release-2.txt";
    private static final Pattern READY = Pattern.compile("worker \\d+ \\(pid \\d+\\) ready");
    private static final int WORKERS = 2;

    @TempDir
    Path tmp;
    private Path errorLog;
    private int port;

    @Test
    void theSymlinkAndAHupDeployRollBackAndSurviveDeletedAndBrokenReleases() throws Exception {
        Path releases = Files.createDirectory(tmp.resolve("releases"));
        Path first = unpack(releases, "corral-chat-1");
        Path second = unpack(releases, "corral-chat-2");
        addJar(second.resolve("lib/zz-release-2.jar"), "public" + NEW_FILE, "release two\n");
        Path broken = unpack(releases, "corral-chat-broken");
        try (Stream<Path> lib = Files.list(broken.resolve("lib"))) {
            for (Path jar : lib.filter(p -> p.getFileName().toString().startsWith("corral-chat-")).toList()) {
                Files.delete(jar);  // the app itself is missing: no worker of it can boot
            }
        }
        Path install = tmp.resolve("corral-chat");  // /opt/corral-chat
        lnSfn(first, install);

        port = Release.freePort();
        String unit = ServiceUnit.substituted("corral-chat.service", install, tmp, port);
        List<String> command = new ArrayList<>(ServiceUser.prefix(tmp));
        command.addAll(ServiceUnit.execStart(unit));
        for (String dir : List.of("log", "run", "state")) {
            ServiceUser.owns(Files.createDirectory(tmp.resolve(dir)));
        }
        errorLog = tmp.resolve("log/error.log");
        Process corral = Release.start(command, tmp.resolve("state"), ServiceUnit.environment(tmp),
                tmp.resolve("stderr.log"));
        try {
            Release.awaitOk(url("/health"), System.nanoTime());
            awaitWorkersOf(first);
            assertThat(Release.get(url(NEW_FILE)).statusCode()).isEqualTo(404);
            long master = Long.parseLong(Files.readString(tmp.resolve("run/corral.pid")).strip());
            String reload = ServiceUnit.line(unit, "ExecReload=").replace("$MAINPID", Long.toString(master));

            // Deploy: the symlink to the new release, then systemctl reload.
            lnSfn(second, install);
            reloadAndAwait(reload, "Reload done: generation 2 serving with 2 workers from " + second);
            awaitWorkersOf(second);
            assertThat(Release.get(url(NEW_FILE)).body()).isEqualTo("release two\n");

            // Roll back: the symlink and another reload.
            lnSfn(first, install);
            reloadAndAwait(reload, "Reload done: generation 3 serving with 2 workers from " + first);
            awaitWorkersOf(first);
            assertThat(Release.get(url(NEW_FILE)).statusCode()).isEqualTo(404);

            // Clean up the old release, then a worker crashes: its replacement runs the release that serves.
            deleteTree(second);
            killOneWorkerAndAwaitItsReplacement();
            awaitWorkersOf(first);

            // A careless operator deletes the release that serves (and the master's own jars with it).
            deleteTree(first);
            killOneWorkerAndAwaitItsReplacement();
            assertThat(lines(errorLog)).anyMatch(l -> l.contains("was deleted or replaced while workers still run "
                    + "it: new workers of it start from the master's copy"));
            assertThat(Release.get(url("/health")).statusCode()).isEqualTo(200);

            // A broken release: the reload fails and changes nothing, and a crash after it boots the old code.
            lnSfn(broken, install);
            reloadAndAwait(reload, "Reload failed, generation 3 keeps serving: app class io.corral.chat.ChatApp "
                    + "not found on the classpath");
            killOneWorkerAndAwaitItsReplacement();
            assertThat(workerCommandLines()).hasSize(WORKERS).noneMatch(c -> c.contains(broken.toString()));
            assertThat(Release.get(url("/health")).statusCode()).isEqualTo(200);
            assertThat(lines(tmp.resolve("stderr.log"))).as("the lifecycle lines reach stderr, so the journal")
                    .anyMatch(l -> l.contains("Reload done: generation 3"))
                    .anyMatch(l -> l.contains("Reload failed, generation 3 keeps serving"));
        } finally {
            assertThat(Release.stop(corral)).as("exit code after TERM").isZero();
        }
    }

    private static Path unpack(Path releases, String name) throws Exception {
        Path home = Release.unpack(Files.createDirectory(releases.resolve(name + ".unpacking")));
        Path release = Files.move(home, releases.resolve(name));
        Files.delete(releases.resolve(name + ".unpacking"));
        return release.toRealPath();  // as the master names it in its log and the workers' command lines
    }

    private static void addJar(Path jar, String entry, String text) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); var out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }

    /** {@code ln -sfn TARGET LINK}, word for word as the guide runs it. */
    private static void lnSfn(Path target, Path link) throws Exception {
        assertThat(new ProcessBuilder("ln", "-sfn", target.toString(), link.toString()).inheritIO().start()
                .waitFor()).isZero();
    }

    private void reloadAndAwait(String execReload, String line) throws Exception {
        assertThat(new ProcessBuilder(execReload.split(" ")).start().waitFor()).isZero();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).alias(line)
                .until(() -> lines(errorLog).stream().anyMatch(l -> l.contains(line)));
    }

    /** Every worker process runs {@code release}'s jars and no other's (the old ones may take a moment to go). */
    private void awaitWorkersOf(Path release) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(workerCommandLines()).hasSize(WORKERS)
                        .allMatch(c -> c.contains(" -cp " + release.resolve("lib") + "/")));
    }

    private void killOneWorkerAndAwaitItsReplacement() throws Exception {
        long readyBefore = lines(errorLog).stream().filter(l -> READY.matcher(l).find()).count();
        long victim = workers().getFirst().pid();
        CorralProcess.signal("KILL", victim);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> lines(errorLog).stream().filter(l -> READY.matcher(l).find()).count() > readyBefore
                        && workers().size() == WORKERS && workers().stream().noneMatch(w -> w.pid() == victim));
        assertThat(Release.get(url("/health")).statusCode()).isEqualTo(200);
    }

    /** The master's workers, wherever setpriv put the master in the process tree. */
    private static List<ProcessHandle> workers() {
        return ProcessHandle.current().descendants()
                .filter(p -> CorralProcess.commandLine(p.pid()).startsWith("corral: worker")).toList();
    }

    private static List<String> workerCommandLines() {
        return workers().stream().map(p -> CorralProcess.commandLine(p.pid())).toList();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
