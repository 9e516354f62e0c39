package io.corral.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Apps load from the classpath, where the module system cannot fence Corral's internals, so this test does: the
 * sources of chat and of the examples may name {@code io.corral.app} and their own packages, nothing else of Corral.
 */
class PublicApiBoundaryTest {
    private static final Pattern CORRAL_NAME = Pattern.compile("\\bio\\.corral\\.(\\w+)");
    private static final List<String> ALLOWED = List.of("app", "chat", "examples");

    @Test
    void appsUseOnlyThePublicApi() throws IOException {
        List<Path> sources = new ArrayList<>();
        for (Path root : List.of(Path.of("src/main/java"), Path.of("../examples/src/main/java"))) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> p.toString().endsWith(".java")).forEach(sources::add);
            }
        }
        assertThat(sources).isNotEmpty();
        List<String> violations = new ArrayList<>();
        for (Path source : sources) {
            Matcher matcher = CORRAL_NAME.matcher(Files.readString(source));
            while (matcher.find()) {
                if (!ALLOWED.contains(matcher.group(1))) {
                    violations.add(source + ": " + matcher.group());
                }
            }
        }
        assertThat(violations).as("references to Corral internals").isEmpty();
    }
}
