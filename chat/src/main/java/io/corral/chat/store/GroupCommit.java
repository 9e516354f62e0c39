package io.corral.chat.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sql.DataSource;

/**
 * SQLite's write transactions, run by one thread per process in batches: each batch is one transaction, one commit
 * and so one {@code fsync}, and each piece of work in it has a savepoint of its own, so one that fails (a taken
 * name, a room the sender may not post to) is undone alone and the others commit.
 *
 * <p>Why: SQLite has one writer at a time per file, and a commit holds that lock through its {@code fsync}. With a
 * transaction per request, every post paid a whole commit inside the lock, and the writers of the other worker
 * processes slept in SQLite's busy handler (1, 2, 5 ... 100 ms) meanwhile, so two workers wrote fewer posts per
 * second than one, and their rate depended on how the clients fell on the workers (bench/misses.md). Batched, the
 * work queued while one batch commits goes into the next, which takes the lock once.
 *
 * <p>A caller gets its result only after the commit: a response never reports a write that a crash could lose.
 */
final class GroupCommit implements AutoCloseable {
    /** Enough to carry a burst of posts; small enough that one batch holds the lock for milliseconds, not seconds. */
    private static final int MAX_BATCH = 64;

    private record Pending<T>(Database.Work<T> work, CompletableFuture<T> result) {
    }

    private final DataSource pool;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    GroupCommit(DataSource pool) {
        this.pool = pool;
        this.writer = Thread.ofPlatform().daemon().name("sqlite-writer").start(this::writeBatches);
    }

    /** Runs {@code work} in the next batch and returns its result once that batch has committed. */
    <T> T run(Database.Work<T> work) throws SQLException {
        if (!writer.isAlive() && !closed) {
            throw new SQLException("the SQLite writer thread has stopped");  // never wait for nobody
        }
        var pending = new Pending<>(work, new CompletableFuture<T>());
        queue.add(pending);
        if (closed) {
            failAll(new SQLException("the database is closed"));
        }
        try {
            return pending.result().get();
        } catch (InterruptedException e) {
            pending.result().cancel(false);  // not run if its batch has not begun
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", e);
        } catch (ExecutionException e) {
            throw Database.rethrown(e);
        }
    }

    /** Work queued for the next batch (for tests). */
    int waiting() {
        return queue.size();
    }

    private void writeBatches() {
        var batch = new ArrayList<Pending<?>>(MAX_BATCH);
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            batch.removeIf(pending -> pending.result().isDone());  // given up by their callers
            if (!batch.isEmpty()) {
                write(batch);
            }
            batch.clear();
        }
        failAll(new SQLException("the database is closing"));
    }

    /**
     * One batch in one transaction, spelled out in SQL rather than through JDBC's auto-commit switch: sqlite-jdbc's
     * {@code commit()} begins the next transaction at once, and an immediate one takes the write lock again, which
     * made every commit wait for the other workers' writers before its callers got their answers.
     */
    private void write(List<Pending<?>> batch) {
        var done = new ArrayList<Runnable>(batch.size());
        try (Connection connection = pool.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("BEGIN IMMEDIATE");  // the write lock, or a wait for it (SqliteConnections' busy handler)
            try {
                for (Pending<?> pending : batch) {
                    done.add(runInSavepoint(sql, connection, pending));
                }
                sql.execute("COMMIT");
            } catch (SQLException | RuntimeException | Error e) {
                rollBack(sql, e);
                throw e;
            }
        } catch (SQLException | RuntimeException | Error e) {
            batch.forEach(pending -> pending.result().completeExceptionally(e));
            return;
        }
        done.forEach(Runnable::run);
    }

    /** Runs one piece of work; what it returns or throws is delivered after the commit, by the returned action. */
    private static <T> Runnable runInSavepoint(Statement sql, Connection connection, Pending<T> pending)
            throws SQLException {
        sql.execute("SAVEPOINT work");
        T result;
        try {
            result = pending.work().run(connection);
        } catch (SQLException | RuntimeException e) {
            sql.execute("ROLLBACK TO work");  // if even this fails, the whole batch fails with it
            sql.execute("RELEASE work");
            return () -> pending.result().completeExceptionally(e);
        }
        sql.execute("RELEASE work");
        return () -> pending.result().complete(result);
    }

    /** Undoes the batch. After some failed COMMITs SQLite has rolled back already; this then fails, harmlessly. */
    private static void rollBack(Statement sql, Throwable cause) {
        try {
            sql.execute("ROLLBACK");
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private void failAll(SQLException cause) {
        var left = new ArrayList<Pending<?>>();
        queue.drainTo(left);
        left.forEach(pending -> pending.result().completeExceptionally(cause));
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failAll(new SQLException("the database is closed"));
    }
}
