package io.corral.logging;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * What went wrong with a file, said as the operator needs it: "permission denied", not just the path that
 * {@link AccessDeniedException#getMessage()} gives.
 */
public final class FileErrors {
    private FileErrors() {
    }

    /** "/var/log/corral/error.log: permission denied". */
    public static String why(IOException e) {
        String reason = switch (e) {
            case AccessDeniedException denied -> "permission denied";
            case NoSuchFileException missing -> "no such file or directory";
            case NotDirectoryException notDirectory -> "not a directory";
            case FileAlreadyExistsException exists -> "already exists";
            case FileSystemException other when other.getReason() != null -> other.getReason().toLowerCase(Locale.ROOT);
            default -> null;
        };
        if (reason == null) {
            return String.valueOf(e.getMessage());
        }
        String file = e instanceof FileSystemException fs && fs.getFile() != null ? fs.getFile() : null;
        return file != null ? file + ": " + reason : reason;
    }
}
