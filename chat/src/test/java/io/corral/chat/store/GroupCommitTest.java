package io.corral.chat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batched SQLite writes on a real file: what one caller's work does, and does not do, to the others'. */
class GroupCommitTest {
    @TempDir
    Path directory;
    private String url;
    private GroupCommit writes;

    @BeforeEach
    void openFile() throws SQLException {
        url = "jdbc:sqlite:" + directory.resolve("test.db");
        var dataSource = new SqliteConnections(url, 5000);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE rows (name TEXT PRIMARY KEY)");
        }
        writes = new GroupCommit(dataSource);
    }

    @AfterEach
    void close() {
        writes.close();
    }

    @Test
    void workThatFailsIsUndoneAloneAndTheRestOfItsBatchCommits() throws Exception {
        var writerHeld = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> first = callers.submit(() -> writes.run(c -> {
                writerHeld.countDown();
                waitFor(release);
                return insert(c, "first");
            }));
            writerHeld.await();
            // Queued while the writer is busy, so these three share the next batch.
            Future<String> before = callers.submit(() -> writes.run(c -> insert(c, "before")));
            Future<String> failing = callers.submit(() -> writes.run(c -> {
                insert(c, "undone");
                throw new IllegalArgumentException("this one's own failure");
            }));
            Future<String> after = callers.submit(() -> writes.run(c -> insert(c, "after")));
            await().until(() -> writes.waiting() == 3);
            release.countDown();

            assertThat(first.get()).isEqualTo("first");
            assertThat(before.get()).isEqualTo("before");
            assertThat(after.get()).isEqualTo("after");
            assertThatThrownBy(failing::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IllegalArgumentException.class).hasMessage("this one's own failure");
        }
        assertThat(committedRows()).containsExactly("after", "before", "first");
    }

    @Test
    void aSqlErrorInOneWorkKeepsTheOthersOfItsBatch() throws Exception {
        writes.run(c -> insert(c, "taken"));
        var writerHeld = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            callers.submit(() -> writes.run(c -> {
                writerHeld.countDown();
                waitFor(release);
                return insert(c, "first");
            }));
            writerHeld.await();
            Future<String> duplicate = callers.submit(() -> writes.run(c -> insert(c, "taken")));
            Future<String> other = callers.submit(() -> writes.run(c -> insert(c, "other")));
            await().until(() -> writes.waiting() == 2);
            release.countDown();

            assertThatThrownBy(duplicate::get).cause().isInstanceOf(SQLException.class)
                    .hasMessageContaining("UNIQUE");
            assertThat(other.get()).isEqualTo("other");
        }
        assertThat(committedRows()).containsExactly("first", "other", "taken");
    }

    @Test
    void aResultIsReturnedOnlyOnceItIsCommitted() throws Exception {
        try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> seenByAnotherConnection = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String name = "row" + i;
                seenByAnotherConnection.add(callers.submit(() -> {
                    writes.run(c -> insert(c, name));
                    return committedRows().contains(name);
                }));
            }
            for (Future<Boolean> seen : seenByAnotherConnection) {
                assertThat(seen.get()).isTrue();
            }
        }
        assertThat(committedRows()).hasSize(200);
    }

    @Test
    void workQueuedWhenTheDatabaseClosesFailsInsteadOfWaitingForever() {
        writes.close();
        assertThatThrownBy(() -> writes.run(c -> insert(c, "late")))
                .isInstanceOf(SQLException.class).hasMessageContaining("closed");
    }

    private static void waitFor(CountDownLatch latch) throws SQLException {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new SQLException(e);
        }
    }

    private static String insert(Connection c, String name) throws SQLException {
        try (var insert = c.prepareStatement("INSERT INTO rows (name) VALUES (?)")) {
            insert.setString(1, name);
            insert.executeUpdate();
        }
        return name;
    }

    private List<String> committedRows() throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             var rows = s.executeQuery("SELECT name FROM rows ORDER BY name")) {
            var names = new ArrayList<String>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        }
    }
}
