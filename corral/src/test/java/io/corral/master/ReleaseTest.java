package io.corral.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A generation's release: resolved through symlinks once, pinned, and still bootable after its directory goes. */
class ReleaseTest {
    @TempDir
    Path tmp;
    private final List<Path> shared = new ArrayList<>();

    private Path release(String name, String... jars) throws IOException {
        Path lib = Files.createDirectories(tmp.resolve(name).resolve("lib"));
        for (String jar : jars) {
            Files.writeString(lib.resolve(jar), name + "/" + jar);
        }
        return tmp.resolve(name).toRealPath();
    }

    private Release resolve(String classpath) throws IOException {
        return Release.resolve(classpath, null, tmp, tmp.resolve("copies"), shared::add);
    }

    private static List<String> entries(String classpath) {
        return Arrays.asList(classpath.split(":"));
    }

    @Test
    void aWildcardThroughASymlinkIsTheJarsOfTheReleaseItPointedAtThen() throws Exception {
        Path one = release("one", "b.jar", "a.jar", "notes.txt");
        Path two = release("two", "a.jar", "c.JAR");
        Path install = Files.createSymbolicLink(tmp.resolve("current"), one);
        try (Release first = resolve(install + "/lib/*")) {
            Files.delete(install);
            Files.createSymbolicLink(install, two);  // ln -sfn to the next release
            try (Release second = resolve("current/lib/*")) {
                assertThat(entries(first.classpathForLaunch()))
                        .containsExactly(one + "/lib/a.jar", one + "/lib/b.jar");
                assertThat(entries(second.classpathForLaunch()))
                        .containsExactly(two + "/lib/a.jar", two + "/lib/c.JAR");
                assertThat(first).hasToString(one + "/lib (2 jars)");
            }
        }
    }

    @Test
    void aDeletedReleaseStillLaunchesFromCopiesOfTheJarsItPinned() throws Exception {
        Path one = release("one", "a.jar", "b.jar");
        try (Release release = resolve(one + "/lib/*")) {
            Files.delete(one.resolve("lib/a.jar"));
            Files.delete(one.resolve("lib/b.jar"));
            Files.delete(one.resolve("lib"));
            Files.delete(one);

            List<String> classpath = entries(release.classpathForLaunch());
            assertThat(classpath).hasSize(2).allMatch(p -> p.startsWith(tmp.resolve("copies").toString()));
            assertThat(Files.readString(Path.of(classpath.get(0)))).isEqualTo("one/a.jar");
            assertThat(Files.readString(Path.of(classpath.get(1)))).isEqualTo("one/b.jar");
            assertThat(shared).as("handed to the workers' user").contains(tmp.resolve("copies"));
            assertThat(release.classpathForLaunch()).as("copied once").isEqualTo(String.join(":", classpath));
        }
    }

    @Test
    void aJarReplacedByAnotherFileIsServedFromThePinnedOriginal() throws Exception {
        Path one = release("one", "a.jar");
        try (Release release = resolve(one + "/lib/*")) {
            Path replacement = tmp.resolve("a.jar.new");
            Files.writeString(replacement, "something else entirely");
            Files.move(replacement, one.resolve("lib/a.jar"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            String copy = release.classpathForLaunch();
            assertThat(copy).doesNotStartWith(one.toString());
            assertThat(Files.readString(Path.of(copy))).isEqualTo("one/a.jar");
        }
    }

    @Test
    void aMissingEntrySaysWhichAndWhy() {
        assertThatThrownBy(() -> resolve(tmp.resolve("gone") + "/lib/*"))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read the workers' classpath " + tmp.resolve("gone") + "/lib/*: "
                        + tmp.resolve("gone") + "/lib: no such file or directory");
    }

    @Test
    void directoriesAndRelativeEntriesResolveAgainstTheBase() throws Exception {
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        Path one = release("one", "a.jar");
        try (Release release = resolve("classes:one/lib/a.jar")) {
            assertThat(entries(release.classpathForLaunch()))
                    .containsExactly(classes.toRealPath().toString(), one + "/lib/a.jar");
        }
    }
}
