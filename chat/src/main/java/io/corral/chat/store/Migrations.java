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
