package io.corral.chat.text;

import io.corral.app.InvalidInput;
import java.text.BreakIterator;

/**
 * What a reaction may be: one emoji as a person sees it (one grapheme cluster: "👍", "👍🏽", "🇫🇷", "👩‍💻", "1️⃣"),
 * built only of emoji code points and the joiners, selectors, skin tones and tags that compose them. A letter, a
 * digit alone, a word or two emoji are refused, so a reaction cannot carry a message of its own.
 */
public final class Emoji {
    public static final int MAX_CHARS = 32;
    private static final int ZERO_WIDTH_JOINER = 0x200D;
    private static final int KEYCAP = 0x20E3;

    private Emoji() {
    }

    /** {@code value} if it is one emoji, or 422 on {@code field}. */
    public static String check(String field, String value) {
        if (!isEmoji(value)) {
            throw InvalidInput.field(field, "one emoji", "value_error.emoji");
        }
        return value;
    }

    public static boolean isEmoji(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_CHARS || !TextField.isWellFormed(value)) {
            return false;
        }
        BreakIterator graphemes = BreakIterator.getCharacterInstance(java.util.Locale.ROOT);
        graphemes.setText(value);
        if (graphemes.next() != value.length()) {
            return false;  // more than one grapheme: two emoji, or an emoji and a letter
        }
        boolean pictograph = false;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            boolean part = Character.isEmoji(cp) || Character.isEmojiComponent(cp) || cp == ZERO_WIDTH_JOINER
                    || cp == 0xFE0F || cp >= 0xE0020 && cp <= 0xE007F;
            if (!part) {
                return false;
            }
            pictograph |= Character.isExtendedPictographic(cp) || Character.isEmojiPresentation(cp) || cp == KEYCAP;
        }
        return pictograph;
    }
}
