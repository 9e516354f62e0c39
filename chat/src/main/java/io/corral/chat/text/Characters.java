package io.corral.chat.text;

/**
 * Which code points show nothing, or change how text around them shows. Kept apart from the rules that use them
 * ({@link TextField}) so the sets can be tested and argued about on their own.
 */
final class Characters {
    private Characters() {
    }

    /**
     * Code points that draw nothing visible on their own: spaces, format characters (zero-width space and joiners,
     * direction marks and overrides, the BOM, the soft hyphen), control characters, variation selectors, and the
     * "filler" letters (Hangul fillers, the Braille blank) that fonts render as blank.
     */
    static boolean isInvisible(int cp) {
        if (Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isISOControl(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        if (type == Character.FORMAT) {
            return true;
        }
        return cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 || cp == 0x2800
                || cp >= 0xFE00 && cp <= 0xFE0F || cp >= 0xE0100 && cp <= 0xE01EF || cp == 0x180E;
    }

    /**
     * Marks that fonts draw as nothing: the Mongolian free variation selectors and vowel separator, the Khmer
     * inherent vowels, the object replacement character.
     */
    static boolean isBlankMark(int cp) {
        return cp >= 0x180B && cp <= 0x180F || cp == 0x17B4 || cp == 0x17B5 || cp == 0xFFFC;
    }

    /** Marks, embeddings, overrides and isolates of the Unicode bidirectional algorithm (UAX #9). */
    static boolean isDirectionControl(int cp) {
        return cp == 0x200E || cp == 0x200F || cp == 0x061C || cp >= 0x202A && cp <= 0x202E
                || cp >= 0x2066 && cp <= 0x2069;
    }

    /** Control characters other than tab, line feed and carriage return (NUL, ESC, DEL, C1...). */
    static boolean isForbiddenControl(int cp) {
        return Character.isISOControl(cp) && cp != '\t' && cp != '\n' && cp != '\r';
    }

    /** The index of a lone surrogate in {@code s} (JSON's {@code "\ud800"} decodes to one), or -1. */
    static int loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
