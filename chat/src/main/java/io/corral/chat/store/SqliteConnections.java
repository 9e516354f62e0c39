package io.corral.chat.store;

import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

/**
 * Connections to Corral Chat's SQLite file: WAL mode, foreign keys, transactions that take the write lock at
 * {@code BEGIN}, secure deletion, and a busy handler that retries in short steps.
 *
 * <p>Why the handler: with several workers, each worker's writer ({@link GroupCommit}) waits for the others' to
 * commit. SQLite's own busy timeout sleeps 1, 2, 5, 10 ... 100 ms between tries, so a writer that found the lock
 * taken for a millisecond slept for many, its worker's posts queued behind it, and the two workers' rate swung
 * from one load to the next (1,100 or 1,900 posts/s, bench/misses.md). Tries every 50 us, growing to 1 ms, cost a
 * system call each, one waiting thread per worker.
 */
final class SqliteConnections extends SQLiteDataSource {
    private static final long FIRST_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long LONGEST_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final long timeoutNanos;

    SqliteConnections(String url, long timeoutMillis) {
        super(config(timeoutMillis));
        setUrl(url);
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    private static SQLiteConfig config(long timeoutMillis) {
        var config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);  // take the write lock at BEGIN
        // Overwrite what a delete or an update frees with zeros: a deleted message's text must not survive in a
        // free page of the file (it would, by default, until SQLite reused the page).
        config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
        config.setBusyTimeout((int) timeoutMillis);  // while opening, until the handler below replaces it
        return config;
    }

    @Override
    public SQLiteConnection getConnection(String username, String password) throws SQLException {
        SQLiteConnection connection = super.getConnection(username, password);
        BusyHandler.setHandler(connection, new ShortWaits(timeoutNanos));
        return connection;
    }

    /** One per connection, so one thread at a time: a wait begins when SQLite calls with no earlier tries. */
    private static final class ShortWaits extends BusyHandler {
        private final long timeoutNanos;
        private long since;

        ShortWaits(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
        }

        @Override
        protected int callback(int earlierTries) {
            long now = System.nanoTime();
            if (earlierTries == 0) {
                since = now;
            } else if (now - since >= timeoutNanos) {
                return 0;  // give up: SQLITE_BUSY, which the request answers with 503
            }
            LockSupport.parkNanos(Math.min(FIRST_WAIT_NANOS << Math.min(earlierTries, 5), LONGEST_WAIT_NANOS));
            return 1;
        }
    }
}
