package io.corral.master;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The master's pidfile: written to a temporary file and renamed into place, so a reader never sees it half-written;
 * removed on exit only if it still holds our pid (a new master after USR2 may own it by then).
 */
final class PidFile {
    private Path path;
    private final long pid = ProcessHandle.current().pid();

    PidFile(Path path) {
        this.path = path.toAbsolutePath();
    }

    void write() throws IOException {
        Path tmp = path.resolveSibling("." + path.getFileName() + "." + pid + ".tmp");
        Files.writeString(tmp, pid + "\n");
        try {
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    void remove() {
        try {
            if (Files.readString(path).strip().equals(Long.toString(pid))) {
                Files.delete(path);
            }
        } catch (IOException ignored) {
            // gone already, or never written
        }
    }

    /** Renames the file (USR2: to {@code .oldbin}, and back if the new master fails); it goes on being ours. */
    void moveTo(Path target) throws IOException {
        Files.move(path, target, StandardCopyOption.REPLACE_EXISTING);
        path = target.toAbsolutePath();
    }

    Path path() {
        return path;
    }
}
