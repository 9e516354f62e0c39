package io.corral.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The configuration tables of the README and docs/operations.md are generated from the settings table. Run with
 * {@code -Dcorral.updateDocs=true} to rewrite them after changing a setting.
 */
class SettingsDocTest {

    @ParameterizedTest
    @ValueSource(strings = {"../README.md", "../docs/operations.md"})
    void documentedTableMatchesTheSettings(String document) throws Exception {
        Path file = Path.of(document);
        String committed = Files.readString(file);
        String expected = SettingsDoc.updated(committed);
        if (Boolean.getBoolean("corral.updateDocs")) {
            Files.writeString(file, expected);
            committed = expected;
        }
        assertThat(committed).as(document + "'s settings table is stale: run ./mvnw test -pl corral "
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
