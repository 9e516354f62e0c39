package io.corral.chat.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.app.InvalidInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"\u200B", "\u200B\u200C\u200D\u2060", " \u00A0\u3000", "\u202E\u2066\u200F", "\uFEFF",
        "\u3164", "\u2800", "\uFE0F", "\u00AD", "\u17B5", "\u180B\u180C", "\u0301", "\uFFFC"})
    void textWithNothingVisibleIsRefused(String text) {
        assertThatThrownBy(() -> TextField.message("text", text, 4000)).isInstanceOf(InvalidInput.class)
                .hasMessageContaining("nothing visible");
    }

    @Test
    void controlsAndLoneSurrogatesAreRefusedTabsAndLineBreaksKept() {
        assertThatThrownBy(() -> TextField.message("text", "a\u0000b", 10)).hasMessageContaining("control");
        assertThatThrownBy(() -> TextField.message("text", "a\u0085b", 10)).hasMessageContaining("control");
        assertThatThrownBy(() -> TextField.message("text", "a\uD800b", 10)).hasMessageContaining("surrogate");
        assertThatThrownBy(() -> TextField.message("text", "a\uDC00", 10)).hasMessageContaining("surrogate");
        assertThat(TextField.message("text", "line\n\tline\r\n", 20)).isEqualTo("line\n\tline\r\n");
        assertThatThrownBy(() -> TextField.name("name", "two\nlines", 64)).hasMessageContaining("control");
    }

    @Test
    void directionControlsAreRefusedInNamesAndKeptInMessages() {
        assertThatThrownBy(() -> TextField.name("name", "abc\u202Eexe.txt", 64)).hasMessageContaining("direction");
        assertThat(TextField.message("text", "abc\u202Eexe.txt", 4000)).isEqualTo("abc\u202Eexe.txt");
    }

    @Test
    void lengthsAreCodePoints() {
        String emoji = "\uD83D\uDE00";
        assertThat(TextField.message("text", emoji.repeat(5), 5)).hasSize(10);
        assertThatThrownBy(() -> TextField.message("text", emoji.repeat(6), 5)).hasMessageContaining("1 to 5");
    }

    @Test
    void namesAreOneKeyWhateverTheirCaseWidthOrComposition() {
        assertThat(Usernames.key("Own2")).isEqualTo(Usernames.key("own2")).isEqualTo(Usernames.key("OWN2"))
                .isEqualTo(Usernames.key("\uFF2F\uFF37\uFF2E\uFF12"));
        assertThat(Usernames.key("stra\u00DFe")).isEqualTo(Usernames.key("STRASSE"));
        assertThat(Usernames.key("Zo\u00EB")).isEqualTo(Usernames.key("zoe\u0308"));
        assertThat(Usernames.normalized("username", "\uFF21nn")).isEqualTo("Ann");
        assertThat(Usernames.normalized("username", "Jos\u00E9")).isEqualTo("Jos\u00E9");
        assertThat(Usernames.normalized("username", "Jose\u0301")).as("a mark on a letter").isEqualTo("Jos\u00E9");
        assertThat(Usernames.normalized("username", "\u0905\u092E\u093F\u0924")).as("Hindi, with a vowel sign")
                .isEqualTo("\u0905\u092E\u093F\u0924");
        assertThatThrownBy(() -> TextField.name("name", "one\u2028line", 64)).hasMessageContaining("control");
        assertThat(TextField.message("text", "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 \u2764\uFE0F", 10))
                .as("a ZWJ family and a heart with its selector").isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "a\u200Bb", "a b", "a\u202Eb", "<script>", "a@b", "\uD800ab",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "annie\uFE0F", "annie\u034F", "annie\u180B", "annie\u17B5",
        "annie\u3164", "\u3164\u3164\u3164", "\u0301\u0301\u0301", "_\u0301ab", "...", "victim   "})
    void usernamesOutsideTheRulesAreRefused(String name) {
        assertThatThrownBy(() -> Usernames.normalized("username", name)).isInstanceOf(InvalidInput.class);
    }

    @Test
    void aKeyIsStableUnderItsOwnFolding() {
        var random = new java.util.Random(20);
        for (int i = 0; i < 10_000; i++) {
            var name = new StringBuilder();
            for (int j = 0; j < 8; j++) {
                name.appendCodePoint(random.nextInt(0x2FFF) + 0x20);
            }
            String key = Usernames.key(name.toString());
            assertThat(Usernames.key(key)).as("key of key of %s", name).isEqualTo(key);
        }
    }
}
