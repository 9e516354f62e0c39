package io.corral.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the master keeps the workers' AOT caches, and which one a worker may map. */
class WorkerAotCacheTest {
    private static final Path RUN = Path.of("/tmp/corral-1-x");

    @TempDir
    Path tmp;

    @Test
    void theDirectoryIsTheSettingThenSystemdsThenTheRunDirectoryWhenDroppingPrivilegesThenXdg() {
        var env = Map.of("CACHE_DIRECTORY", "/var/cache/corral-chat:/var/cache/other", "HOME", "/home/ops");
        assertThat(WorkerAotCache.directory("/srv/aot", env, false, RUN)).isEqualTo(Path.of("/srv/aot"));
        assertThat(WorkerAotCache.directory("off", env, false, RUN)).isNull();
        assertThat(WorkerAotCache.directory(null, env, true, RUN)).isEqualTo(Path.of("/var/cache/corral-chat/aot"));
        assertThat(WorkerAotCache.directory(null, Map.of("HOME", "/root"), true, RUN)).isEqualTo(RUN.resolve("aot"));
        assertThat(WorkerAotCache.directory(null, Map.of("HOME", "/home/ops", "XDG_CACHE_HOME", "/c"), false, RUN))
                .isEqualTo(Path.of("/c/corral/aot"));
        assertThat(WorkerAotCache.directory(null, Map.of("HOME", "/home/ops"), false, RUN))
                .isEqualTo(Path.of("/home/ops/.cache/corral/aot"));
        assertThat(WorkerAotCache.directory(null, Map.of(), false, RUN)).as("no home at all")
                .isEqualTo(RUN.resolve("aot"));
    }

    @Test
    void aCacheIsNamedByWhatTheJvmChecksSoAChangedJarJdkOrOptionGetsANewOne() throws Exception {
        Path app = Files.writeString(tmp.resolve("app.jar"), "one");
        Path lib = Files.writeString(tmp.resolve("lib.jar"), "lib");
        String first = WorkerAotCache.fileName("app.Main", "25.0.1", "-Xmx256m", List.of(app, lib));
        assertThat(first).matches("app\\.Main-[0-9a-f]{16}\\.aot");
        assertThat(WorkerAotCache.fileName("app.Main", "25.0.1", " -Xmx256m ", List.of(app, lib))).as("same inputs")
                .isEqualTo(first);

        assertThat(WorkerAotCache.fileName("app.Main", "25.0.2", "-Xmx256m", List.of(app, lib))).isNotEqualTo(first);
        assertThat(WorkerAotCache.fileName("app.Main", "25.0.1", "-Xmx512m", List.of(app, lib))).isNotEqualTo(first);
        assertThat(WorkerAotCache.fileName("app.Main", "25.0.1", "-Xmx256m", List.of(lib, app))).as("order")
                .isNotEqualTo(first);
        assertThat(WorkerAotCache.fileName("other.App", "25.0.1", "-Xmx256m", List.of(app, lib)))
                .startsWith("other.App-");
        assertThat(WorkerAotCache.fileName("app.Main", "25.0.1", "-Xmx256m", List.of(app))).isNotEqualTo(first);

        Files.setLastModifiedTime(app, FileTime.fromMillis(Files.getLastModifiedTime(app).toMillis() - 60_000));
        String touched = WorkerAotCache.fileName("app.Main", "25.0.1", "-Xmx256m", List.of(app, lib));
        assertThat(touched).as("a jar rebuilt in place: same path, another time").isNotEqualTo(first);
        Files.writeString(app, "one, longer");
        Files.setLastModifiedTime(app, FileTime.fromMillis(Files.getLastModifiedTime(app).toMillis() - 60_000));
        assertThat(WorkerAotCache.fileName("app.Main", "25.0.1", "-Xmx256m", List.of(app, lib))).as("another size")
                .isNotEqualTo(touched);
    }

    @Test
    void eachAppHasItsOwnPrefixSoOneDirectoryCanHoldSeveralAppsCaches() {
        assertThat(WorkerAotCache.prefix("io.corral.chat.ChatApp")).isEqualTo("io.corral.chat.ChatApp-");
        assertThat(WorkerAotCache.prefix("a/../b c")).as("never a path").isEqualTo("a_.._b_c-");
    }

    @Test
    void aClasspathWithADirectoryHasNoCacheSinceTheJvmCachesJarsOnly() throws Exception {
        Path classes = Files.createDirectory(tmp.resolve("classes"));
        Path app = Files.writeString(tmp.resolve("app.jar"), "one");
        assertThat(WorkerAotCache.fileName("app.Main", "25", "", List.of(app, classes))).isNull();
    }
}
