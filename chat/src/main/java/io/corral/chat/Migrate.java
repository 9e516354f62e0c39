package io.corral.chat;

import io.corral.chat.store.Database;
import io.corral.chat.store.DatabaseSettings;
import io.corral.chat.store.Migrations;

/**
 * {@code migrate}: brings the database named by {@code DATABASE_URL} to this release's schema, the step the
 * reference deployment runs as {@code python init_db.py}. Exit 0 when up to date, 1 with the reason otherwise.
 */
public final class Migrate {
    private Migrate() {
    }

    public static void main(String[] args) {
        var settings = DatabaseSettings.fromEnvironment(System.getenv());
        try (var database = Database.open(settings)) {
            int ran = new Migrations(database).migrate();
            System.out.println("migrate: " + settings.redactedUrl() + ": " + ran + " migration(s) applied; schema "
                    + "is current");
        } catch (Exception e) {
            System.err.println("migrate: " + settings.redactedUrl() + ": " + e.getMessage());
            System.exit(1);
        }
    }
}
