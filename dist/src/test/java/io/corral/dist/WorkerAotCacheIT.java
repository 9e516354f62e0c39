package io.corral.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workers' AOT cache with no flag: the release archive started as a systemd unit starts it (a cache directory
 * in {@code $CACHE_DIRECTORY}, as {@code CacheDirectory=} gives one), the master makes the cache once the workers
 * serve, the next workers map it (the JVM's own log says so), and a release with another classpath gets a cache of
 * its own instead of a start the JVM would refuse or slow.
 */
class WorkerAotCacheIT {
    private static final Pattern MADE = Pattern.compile(
            "Workers' AOT cache made: (\\S+/io\\.corral\\.chat\\.ChatApp-[0-9a-f]{16}\\.aot)");

    @TempDir
    Path tmp;

    @Test
    void theMasterMakesItTheNextWorkersMapItAndANewClasspathGetsANewOne() throws Exception {
        Path home = Release.unpack(Files.createDirectory(tmp.resolve("release")));
        Path state = Files.createDirectory(tmp.resolve("state"));
        Path cacheDirectory = Files.createDirectory(tmp.resolve("cache"));
        Path errorLog = tmp.resolve("error.log");
        int port = Release.freePort();
        // The JVM's AOT log on stderr, which the master writes into the error log: how a worker says what it mapped.
        Process corral = Release.start(List.of(home.resolve("bin/corral").toString(), "io.corral.chat.ChatApp",
                "-w", "1", "-b", "127.0.0.1:" + port, "--error-logfile", errorLog.toString(),
                "--worker-jvm-options", "-XX:+UseSerialGC -Xms16m -Xmx256m -Xlog:aot=info:stderr"),
                state, Map.of("CACHE_DIRECTORY", cacheDirectory.toString()), tmp.resolve("stderr.log"));
        try {
            Release.awaitOk("http://127.0.0.1:" + port + "/health", System.nanoTime());
            Path first = Path.of(awaitMade(errorLog, 1));
            assertThat(first.getParent()).isEqualTo(cacheDirectory.resolve("aot"));
            assertThat(first).isRegularFile();
            assertThat(read(errorLog)).as("the first worker had none to map").doesNotContain("Opened AOT cache");

            reload(corral, errorLog, 1);
            assertThat(read(errorLog)).as("the next worker maps it").contains("Opened AOT cache " + first + ".");

            // A new jar in lib/, as a new release brings: the classpath the JVM would check differs.
            try (var jar = new JarOutputStream(Files.newOutputStream(home.resolve("lib/zz-extra.jar")))) {
                jar.putNextEntry(new ZipEntry("extra.txt"));
                jar.write("a new release".getBytes());
            }
            reload(corral, errorLog, 2);
            assertThat(Release.get("http://127.0.0.1:" + port + "/health").statusCode()).isEqualTo(200);
            assertThat(count(errorLog, "Opened AOT cache ")).as("no cache for the new classpath yet").isEqualTo(1);
            Path second = Path.of(awaitMade(errorLog, 2));
            assertThat(second).isNotEqualTo(first).isRegularFile();

            reload(corral, errorLog, 3);
            assertThat(read(errorLog)).contains("Opened AOT cache " + second + ".")
                    .as("the JVM never declined a cache").doesNotContain("[warning][aot]")
                    .doesNotContain("Workers' AOT cache not made");
            try (var left = Files.list(cacheDirectory.resolve("aot"))) {
                assertThat(left.map(p -> p.getFileName().toString()))
                        .as("the caches, no partial file or training output left")
                        .containsExactlyInAnyOrder(first.getFileName().toString(), second.getFileName().toString());
            }
        } finally {
            assertThat(Release.stop(corral)).as("exit code after TERM").isZero();
        }
    }

    /**
     * A root master that drops privileges (--user), with no cache directory of systemd's and root's home not the
     * workers' user's: the cache goes into the master's private run directory, made by the training JVM as that
     * user, and the next workers map it.
     */
    @Test
    void aRootMasterWithUserMakesItInItsRunDirectoryAsTheWorkersUser() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "SKIPPED: needs root, to start the master as root with --user nobody");
        ServiceUser.prefix(tmp);  // the release under tmp readable by nobody
        Path home = Release.unpack(Files.createDirectory(tmp.resolve("release")));
        Path state = ServiceUser.owns(Files.createDirectory(tmp.resolve("state")));
        Path errorLog = tmp.resolve("error.log");
        int port = Release.freePort();
        Process corral = Release.start(List.of(home.resolve("bin/corral").toString(), "io.corral.chat.ChatApp",
                "-w", "1", "-b", "127.0.0.1:" + port, "--error-logfile", errorLog.toString(), "--user", "nobody",
                "--worker-jvm-options", "-XX:+UseSerialGC -Xms16m -Xmx256m -Xlog:aot=info:stderr"),
                state, Map.of("HOME", "/root"), tmp.resolve("stderr.log"));
        try {
            Release.awaitOk("http://127.0.0.1:" + port + "/health", System.nanoTime());
            Path made = Path.of(awaitMade(errorLog, 1));
            assertThat(made.toString()).as("the run directory").matches(".*/corral-\\d+-[^/]+/aot/[^/]+");
            assertThat(Files.getOwner(made).getName()).as("written by the workers' user").isEqualTo("nobody");
            reload(corral, errorLog, 1);
            assertThat(read(errorLog)).contains("Opened AOT cache " + made + ".")
                    .doesNotContain("Workers' AOT cache not made");
        } finally {
            assertThat(Release.stop(corral)).as("exit code after TERM").isZero();
        }
    }

    private static String awaitMade(Path errorLog, int nth) {
        await().atMost(Duration.ofMinutes(3)).until(() -> count(errorLog, "Workers' AOT cache made: ") >= nth);
        Matcher made = MADE.matcher(read(errorLog));
        String file = null;
        for (int i = 0; i < nth; i++) {
            assertThat(made.find()).isTrue();
            file = made.group(1);
        }
        return file;
    }

    private static void reload(Process corral, Path errorLog, int nth) throws Exception {
        assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(corral.pid())).start().waitFor()).isZero();
        await().atMost(Duration.ofMinutes(2)).until(() -> count(errorLog, "Reload done") >= nth);
    }

    private static int count(Path file, String text) {
        return read(file).split(Pattern.quote(text), -1).length - 1;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
