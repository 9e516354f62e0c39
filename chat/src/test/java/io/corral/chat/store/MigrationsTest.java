package io.corral.chat.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** The start-up shortcut: a database at this release's version skips Flyway; any other goes through it. */
class MigrationsTest {
    @Test
    void theSchemaVersionIsTheHighestMigrationOfBothDialects() throws Exception {
        for (String dialect : new String[] {"sqlite", "mariadb"}) {
            try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration", dialect))) {
                int highest = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                        .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
                assertThat(highest).as(dialect).isEqualTo(Migrations.SCHEMA_VERSION);
            }
        }
    }

    @Test
    void onlyADatabaseExactlyAtTheVersionIsCurrent() throws Exception {
        var env = Map.of("DATABASE_URL", "jdbc:sqlite:" + Files.createTempDirectory("chat-") + "/chat.db");
        try (var database = Database.open(DatabaseSettings.fromEnvironment(env))) {
            var migrations = new Migrations(database);
            assertThat(migrations.isCurrent()).as("no history table").isFalse();
            Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/migration/sqlite")
                    .target(Integer.toString(Migrations.SCHEMA_VERSION - 1)).load().migrate();
            assertThat(migrations.isCurrent()).as("one version behind").isFalse();
            assertThat(migrations.migrate()).isEqualTo(1);
            assertThat(migrations.isCurrent()).isTrue();
        }
    }
}
