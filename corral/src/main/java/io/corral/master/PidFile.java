package io.corral.master;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The master's pidfile: written to a temporary file and renamed into place, so a reader never sees it half-written
 * or missing; removed on exit only if it still holds our pid. Through a USR2 it always names a live master that
 * serves: the old master writes {@code PIDFILE.oldbin} beside it and leaves {@code PIDFILE} alone, the new master
 * takes {@code PIDFILE} only once all its workers serve, and a new master that fails never touched it.
 */
final class PidFile {
    private Path path;
    private final Path oldbin;
    private final long pid = ProcessHandle.current().pid();

    PidFile(Path path) {
        this.path = path.toAbsolutePath();
        this.oldbin = this.path.resolveSibling(this.path.getFileName() + ".oldbin");
    }

    void write() throws IOException {
        write(path);
    }

    /** USR2 begins: this master is also {@code PIDFILE.oldbin}, the name it keeps once the new one serves. */
    void writeOldbin() throws IOException {
        write(oldbin);
    }

    /** The new master serves and has taken {@code PIDFILE}: from now on ours is {@code PIDFILE.oldbin}. */
    void handedOver() {
        path = oldbin;
    }

    /** The upgrade failed: {@code PIDFILE} still names us; the {@code .oldbin} name goes. */
    void removeOldbin() {
        remove(oldbin);
    }

    /** At exit: every name that still holds our pid. */
    void remove() {
        remove(path);
        remove(oldbin);
    }

    Path path() {
        return path;
    }

    private void write(Path target) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + pid + ".tmp");
        Files.writeString(tmp, pid + "\n");
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void remove(Path target) {
        try {
            if (Files.readString(target).strip().equals(Long.toString(pid))) {
                Files.delete(target);
            }
        } catch (IOException ignored) {
            // gone already, or never written
        }
    }
}
