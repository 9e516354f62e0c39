package io.corral.testing;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A program a test needs from the machine (redis-server, nginx, node...). Absent on a developer's machine, the test
 * is skipped with a loud line saying what to install; absent in CI ({@code CI=true}), the test fails, because CI
 * installs everything (.ci/run) and a silent skip there would hide a missing install step.
 */
public final class RequiredService {
    private RequiredService() {
    }

    /** The path of {@code program} on the PATH (or at an absolute path), or skip/fail as above. */
    public static Path require(String program, String howToInstall) {
        Path found = find(program);
        if (found != null) {
            return found;
        }
        String message = program + " is not installed: " + howToInstall;
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true and " + message);
        }
        System.err.println("SKIPPED (" + message + ")");
        Assumptions.abort(message);
        return null;
    }

    private static Path find(String program) {
        if (program.startsWith("/")) {
            return Files.isExecutable(Path.of(program)) ? Path.of(program) : null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/usr/bin", "/sbin"}) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
