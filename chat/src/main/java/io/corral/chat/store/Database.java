package io.corral.chat.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The chat's database: a HikariCP pool over SQLite (the embedded default) or MariaDB/MySQL. Handlers call it from
 * virtual threads. SQLite's driver works through JNI, which pins a virtual thread's carrier for the whole call
 * (busy-timeout waits included), so SQLite work is handed to a few platform threads; MariaDB's driver is plain
 * socket I/O and runs on the caller. SQLite runs in WAL mode with a busy timeout and immediate transactions, so
 * several worker processes share one file safely: writers queue on the lock instead of failing; and its write
 * transactions are committed in batches ({@link GroupCommit}).
 */
public final class Database implements AutoCloseable {
    /** Writers to one SQLite file are serialized anyway; a few threads keep readers going beside a writer. */
    private static final int SQLITE_THREADS = 4;

    /** Work on one connection; what it throws is the caller's to map (409, 503...). */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DatabaseSettings settings;
    private final HikariDataSource pool;
    private final ExecutorService sqliteThreads;
    private final GroupCommit sqliteWrites;

    private Database(DatabaseSettings settings, HikariDataSource pool, ExecutorService sqliteThreads) {
        this.settings = settings;
        this.pool = pool;
        this.sqliteThreads = sqliteThreads;
        this.sqliteWrites = sqliteThreads == null ? null : new GroupCommit(pool);
    }

    public static Database open(DatabaseSettings settings) {
        var config = new HikariConfig();
        config.setPoolName("chat");
        // Fail a request in 3 s when the database is away (it gets 503), rather than queueing it for 30.
        config.setConnectionTimeout(3000);
        config.setInitializationFailTimeout(-1);  // the pool starts even if the database is down; start() checks
        // Sized for an idle worker, growing with the load (Hikari's default keeps the whole pool open from the start:
        // 16 MariaDB connections per worker, 128 at -w 8, before the first request); idle ones close after 10 min.
        config.setMinimumIdle(1);
        if (settings.isSqlite()) {
            createParentDirectory(settings);
            config.setMaximumPoolSize(SQLITE_THREADS + 1);  // the readers' threads and the writer
            config.setDataSource(new SqliteConnections(settings.url(), 5000));
            return new Database(settings, new HikariDataSource(config),
                    Executors.newFixedThreadPool(SQLITE_THREADS, Thread.ofPlatform().daemon().name("sqlite-", 0)
                            .factory()));
        }
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(16);
        return new Database(settings, new HikariDataSource(config), null);
    }

    private static void createParentDirectory(DatabaseSettings settings) {
        createDirectory(settings.sqliteFile().getParent(), "the database directory");
    }

    /**
     * Creates {@code directory} (and its parents) if missing, or fails with what an operator needs to fix it:
     * {@code what} and the reason, not only the path that Java's exceptions name.
     */
    public static void createDirectory(Path directory, String what) {
        try {
            Files.createDirectories(directory);
            if (!Files.isWritable(directory)) {
                throw new java.nio.file.AccessDeniedException(directory.toString());
            }
        } catch (java.io.IOException e) {
            String why = switch (e) {
                case java.nio.file.AccessDeniedException denied -> denied.getFile() + ": permission denied";
                case java.nio.file.FileAlreadyExistsException exists -> exists.getFile() + ": a file, not a directory";
                default -> e.getMessage();
            };
            throw new IllegalStateException("cannot create " + what + " " + directory + " (" + why + ")", e);
        }
    }

    /**
     * What a SELECT ends with to read the rows as committed and hold them for the transaction: {@code " FOR UPDATE"}
     * on MariaDB (a plain read there sees the transaction's snapshot); nothing on SQLite, whose writing
     * transactions take turns.
     */
    public String lockingRead() {
        return settings.isSqlite() ? "" : " FOR UPDATE";
    }

    public DatabaseSettings settings() {
        return settings;
    }

    public javax.sql.DataSource dataSource() {
        return pool;
    }

    /**
     * Runs {@code work} in one transaction, committed if it returns, rolled back if it throws. On SQLite the
     * transaction may be shared with other callers' work (each in a savepoint of its own); either way the result
     * comes back only after the commit.
     */
    public <T> T transaction(Work<T> work) throws SQLException {
        if (sqliteWrites != null) {
            return sqliteWrites.run(work);
        }
        return call(connection -> {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }

    /** Runs {@code work} on a connection in autocommit mode (reads). */
    public <T> T read(Work<T> work) throws SQLException {
        return call(work);
    }

    private <T> T call(Work<T> work) throws SQLException {
        if (sqliteThreads == null) {
            try (Connection connection = pool.getConnection()) {
                return work.run(connection);
            }
        }
        Future<T> result = sqliteThreads.submit(() -> {
            try (Connection connection = pool.getConnection()) {
                return work.run(connection);
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", e);
        } catch (ExecutionException e) {
            throw rethrown(e);
        }
    }

    /**
     * What work run on another thread threw, for the caller to throw as its own: a SQLException is returned, an
     * unchecked one thrown as it is (an {@code HttpError} keeps its status), anything else wrapped.
     */
    static SQLException rethrown(ExecutionException e) {
        switch (e.getCause()) {
            case SQLException sql -> {
                return sql;
            }
            case RuntimeException runtime -> throw runtime;
            case Error error -> throw error;
            default -> {
                return new SQLException(e.getCause());
            }
        }
    }

    /** Whether the database answers now (for /ready). */
    public boolean isReachable() {
        try {
            return read(connection -> connection.isValid(2));
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (sqliteWrites != null) {
            sqliteWrites.close();
        }
        pool.close();
        if (sqliteThreads != null) {
            sqliteThreads.shutdownNow();
        }
    }
}
