package io.corral.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is generated from the settings table. Run with {@code -Dcorral.updateDocs=true}
 * to rewrite it after changing a setting.
 */
class SettingsDocTest {
    private static final Path README = Path.of("..", "README.md");

    @Test
    void readmeTableMatchesTheSettings() throws Exception {
        String committed = Files.readString(README);
        String expected = SettingsDoc.updated(committed);
        if (Boolean.getBoolean("corral.updateDocs")) {
            Files.writeString(README, expected);
            committed = expected;
        }
        assertThat(committed).as("README.md's settings table is stale: run ./mvnw test -pl corral "
                + "-Dtest=SettingsDocTest -Dcorral.updateDocs=true").isEqualTo(expected);
    }

    @Test
    void tableListsEveryFlag() {
        String table = SettingsDoc.table();
        for (Setting<?> setting : Settings.ALL) {
            assertThat(table).contains("`" + setting.flag() + (setting.toggle() ? "`" : " " + setting.metavar() + "`"));
        }
    }
}
