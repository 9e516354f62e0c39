package io.corral.chat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Another process's writer holding SQLite's lock (here: another connection), as a worker's writer meets it. */
class SqliteConnectionsTest {
    @TempDir
    Path directory;

    @Test
    void aWriterWaitsInTheBusyHandlerForTheLockAndThenWrites() throws Exception {
        var connections = new SqliteConnections("jdbc:sqlite:" + directory.resolve("test.db"), 5000);
        try (Connection other = connections.getConnection(); Connection mine = connections.getConnection()) {
            createTable(other);
            other.setAutoCommit(false);  // BEGIN IMMEDIATE: the lock is held from here
            insert(other, "theirs");
            var writer = new AtomicReference<Thread>();  // the writer's thread, for its state
            var written = CompletableFuture.supplyAsync(() -> {
                writer.set(Thread.currentThread());
                try {
                    mine.setAutoCommit(false);
                    insert(mine, "mine");
                    mine.commit();
                    return true;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, command -> Thread.ofPlatform().start(command));
            // Parked between tries in the handler (TIMED_WAITING), not failed with SQLITE_BUSY.
            await().until(() -> writer.get() != null && writer.get().getState() == Thread.State.TIMED_WAITING);
            assertThat(written).isNotDone();
            other.setAutoCommit(true);  // COMMIT (sqlite-jdbc's commit() would begin, and lock, again at once)
            assertThat(written.get()).isTrue();
            assertThat(count(other)).isEqualTo(2);
        }
    }

    @Test
    void aWriterGivesUpWithBusyAfterTheTimeout() throws Exception {
        var connections = new SqliteConnections("jdbc:sqlite:" + directory.resolve("test.db"), 200);
        try (Connection other = connections.getConnection(); Connection mine = connections.getConnection()) {
            createTable(other);
            other.setAutoCommit(false);
            assertThatThrownBy(() -> mine.setAutoCommit(false)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("SQLITE_BUSY");
            other.rollback();
        }
    }

    private static void createTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE rows (name TEXT)");
        }
    }

    private static void insert(Connection c, String name) throws SQLException {
        try (var insert = c.prepareStatement("INSERT INTO rows (name) VALUES (?)")) {
            insert.setString(1, name);
            insert.executeUpdate();
        }
    }

    private static int count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); var rows = s.executeQuery("SELECT count(*) FROM rows")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
