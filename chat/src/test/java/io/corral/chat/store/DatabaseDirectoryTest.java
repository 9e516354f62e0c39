package io.corral.chat.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A SQLite database whose directory cannot be created says where and why, in one line. */
class DatabaseDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void aFileWhereTheDirectoryShouldBeIsNamedWithTheReason() throws Exception {
        Path file = Files.writeString(tmp.resolve("data"), "not a directory");
        var settings = new DatabaseSettings("jdbc:sqlite:" + file.resolve("chat.db"), null, null);
        assertThatThrownBy(() -> Database.open(settings).close())
                .hasMessage("cannot create the database directory " + file + " (" + file
                        + ": a file, not a directory)");
    }
}
