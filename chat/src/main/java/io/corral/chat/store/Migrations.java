package io.corral.chat.store;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/**
 * The schema, by Flyway: {@code db/migration/sqlite} or {@code db/migration/mariadb}. An embedded SQLite database
 * migrates itself at start (the workers starting together take turns on a file lock); a server database is
 * migrated by the {@code migrate} command, as the reference deployment runs {@code init_db.py}, and a worker
 * refuses to serve a schema that is behind.
 */
public final class Migrations {
    /**
     * This release's schema version: the highest {@code V*__} file of both dialects (a test holds them equal). A
     * database already at it needs no Flyway at all (below).
     */
    public static final int SCHEMA_VERSION = 3;

    private final Database database;

    public Migrations(Database database) {
        this.database = database;
    }

    private Flyway flyway() {
        String dialect = database.settings().isSqlite() ? "sqlite" : "mariadb";
        return Flyway.configure()
                .dataSource(database.dataSource())
                .locations("classpath:db/migration/" + dialect)
                .loggers("slf4j")
                .load();
    }

    /**
     * Whether the database is exactly at {@link #SCHEMA_VERSION} by its history table: one query, no lock. Every
     * worker of every generation asks at start; only when it is behind (or ahead, or has no history) does Flyway
     * scan, validate and migrate, under the lock, which at {@code -w 8} on SQLite made the workers queue for 0.3 s
     * each. Flyway's checksums of applied files are then checked when a migration runs (and by the migrate
     * command), not at every start.
     */
    public boolean isCurrent() {
        try {
            return database.read(c -> {
                try (var select = c.prepareStatement("SELECT version FROM flyway_schema_history WHERE success = "
                        + (database.settings().isSqlite() ? "1" : "TRUE") + " AND version IS NOT NULL")) {
                    var rs = select.executeQuery();
                    int highest = 0;
                    while (rs.next()) {
                        highest = Math.max(highest, Integer.parseInt(rs.getString(1).split("\\.")[0]));
                    }
                    return highest == SCHEMA_VERSION;
                }
            });
        } catch (java.sql.SQLException | RuntimeException e) {
            return false;  // no history table yet, or versions this release does not number: Flyway decides
        }
    }

    /** Brings the schema up to date; returns how many migrations ran. */
    public int migrate() throws IOException {
        if (!database.settings().isSqlite()) {
            return flyway().migrate().migrationsExecuted;
        }
        String file = database.settings().url().substring("jdbc:sqlite:".length()).split("\\?")[0];
        Path lock = Path.of(file).toAbsolutePath().resolveSibling(Path.of(file).getFileName() + ".migrate-lock");
        Files.createDirectories(lock.getParent());
        try (var channel = new RandomAccessFile(lock.toFile(), "rw").getChannel(); FileLock held = channel.lock()) {
            return flyway().migrate().migrationsExecuted;
        }
    }

    /** Throws, with what to do, when the database's schema is behind this release. */
    public void requireCurrent() {
        MigrationInfo[] pending = flyway().info().pending();
        if (pending.length > 0) {
            MigrationInfo current = flyway().info().current();
            throw new IllegalStateException("the database schema is at version "
                    + (current == null ? "none" : current.getVersion()) + " and this release needs "
                    + pending[pending.length - 1].getVersion() + ": run the migrate command first "
                    + "(io.corral.chat.Migrate, see docs/deployment.md)");
        }
    }
}
