package io.corral.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The unit's {@code User=corral-chat}, for tests that start the release as the service would: when the tests run as
 * root, the unprivileged {@code nobody} (uid 65534) through setpriv, so a file only root may write is unwritable
 * there too; otherwise the user running the tests.
 */
final class ServiceUser {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private ServiceUser() {
    }

    /**
     * The command prefix that runs a program as the service user. {@code tmp} (a @TempDir, private to root) and
     * its parents up to the temp directory are opened for reading, so that user reaches the releases in it.
     */
    static List<String> prefix(Path tmp) throws IOException {
        if (!ROOT) {
            return List.of();
        }
        Path top = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        for (Path dir = tmp.toAbsolutePath(); dir != null && !dir.equals(top); dir = dir.getParent()) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--");
    }

    /** Gives {@code path} to the service user, as systemd's StateDirectory= and LogsDirectory= do. */
    static Path owns(Path path) throws Exception {
        if (ROOT && new ProcessBuilder("chown", "65534:65534", path.toString()).start().waitFor() != 0) {
            throw new IllegalStateException("chown " + path + " failed");
        }
        return path;
    }
}
