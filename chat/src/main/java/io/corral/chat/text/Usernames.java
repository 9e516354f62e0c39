package io.corral.chat.text;

import io.corral.app.InvalidInput;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Usernames: letters and digits of any script, {@code _ . -}, 3 to 32 code points, stored in NFKC (so a fullwidth
 * "Ａnn" is "Ann"). Two names are the same account name when their {@link #key}s are equal: NFKC, then case folded,
 * so "own2", "Own2" and "ＯＷＮ2" are one name and nobody can pass for someone else by case or width.
 */
public final class Usernames {
    public static final int MIN = 3;
    public static final int MAX = 32;

    private Usernames() {
    }

    /** The name as stored and shown (NFKC), or 422. */
    public static String normalized(String field, String raw) {
        if (raw == null || Characters.loneSurrogate(raw) >= 0) {
            throw invalid(field);
        }
        String name = Normalizer.normalize(raw, Normalizer.Form.NFKC);
        int length = name.codePointCount(0, name.length());
        if (length < MIN || length > MAX) {
            throw invalid(field);
        }
        boolean letterOrDigit = false;
        boolean markMayFollow = false;  // a combining mark only on a letter or digit: no name of marks alone
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            i += Character.charCount(cp);
            if (Characters.isInvisible(cp) || Characters.isBlankMark(cp)) {
                throw invalid(field);  // "annie" and "annie" + a variation selector would look alike
            }
            int type = Character.getType(cp);
            boolean mark = type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
            if (mark ? !markMayFollow : !Character.isLetterOrDigit(cp) && cp != '_' && cp != '.' && cp != '-') {
                throw invalid(field);
            }
            markMayFollow = mark || Character.isLetterOrDigit(cp);
            letterOrDigit |= Character.isLetterOrDigit(cp);
        }
        if (!letterOrDigit) {
            throw invalid(field);
        }
        return name;
    }

    /**
     * The key two names are compared by: NFKC, case folded, NFKC again (Unicode's NFKC_Casefold, approximated by
     * upper- then lower-casing to a fixed point, which folds "ß" and "ẞ" to "ss" and the dotless "ı" to "i"; the
     * dotted "İ" becomes "i" with a combining dot, a name of its own).
     */
    public static String key(String name) {
        String key = Normalizer.normalize(name, Normalizer.Form.NFKC);
        // To a fixed point: "ẞ" lowers to "ß", which only a second round takes to "ss" (found by TextRulesTest).
        for (int round = 0; round < 4; round++) {
            String next = Normalizer.normalize(key.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT),
                    Normalizer.Form.NFKC);
            if (next.equals(key)) {
                break;
            }
            key = next;
        }
        return key;
    }

    private static InvalidInput invalid(String field) {
        return InvalidInput.field(field, MIN + " to " + MAX + " letters, digits, '_', '.' or '-'",
                "value_error.username");
    }
}
