package io.corral.chat.text;

import io.corral.app.InvalidInput;

/**
 * The rules every text a user sends is held to, as 422 field errors: well-formed Unicode (a lone surrogate is refused,
 * not stored as {@code ?}), no NUL or other control characters but tab and line breaks, a length in code points (what
 * a person counts, and what MariaDB's {@code VARCHAR(n)} counts), and something visible once spaces and invisible
 * characters are set aside. A name ({@link #name}) also refuses direction controls, with which
 * {@code "abc\u202Eexe.txt"} shows as "abctxt.exe"; a message keeps them (right-to-left writers need marks), and
 * the client isolates each message's direction instead.
 */
public final class TextField {
    private TextField() {
    }

    /** A message's text: 1 to {@code max} code points, line breaks allowed. */
    public static String message(String field, String value, int max) {
        check(field, value, max, false);
        return value;
    }

    /** A room's or a person's name: 1 to {@code max} code points, on one line, no direction controls. */
    public static String name(String field, String value, int max) {
        check(field, value, max, true);
        return value;
    }

    /** No lone surrogate: the string has a UTF-8 form. */
    public static boolean isWellFormed(String value) {
        return Characters.loneSurrogate(value) < 0;
    }

    private static void check(String field, String value, int max, boolean name) {
        if (value == null) {
            throw InvalidInput.field(field, "Field required", "missing");
        }
        if (Characters.loneSurrogate(value) >= 0) {
            throw InvalidInput.field(field, "not valid Unicode (a lone surrogate)", "value_error.unicode");
        }
        boolean visible = false;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            boolean lineBreak = cp == '\t' || cp == '\n' || cp == '\r' || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR;
            if (Characters.isForbiddenControl(cp) || name && lineBreak) {
                throw InvalidInput.field(field, "control characters are not allowed", "value_error.control");
            }
            if (name && Characters.isDirectionControl(cp)) {
                throw InvalidInput.field(field, "direction-control characters are not allowed in a name",
                        "value_error.bidi");
            }
            // A combining mark draws on what precedes it: alone, it shows nothing of its own.
            visible |= !Characters.isInvisible(cp) && !Characters.isBlankMark(cp) && type != Character.NON_SPACING_MARK
                    && type != Character.ENCLOSING_MARK;
        }
        if (value.codePointCount(0, value.length()) > max) {
            throw InvalidInput.field(field, "1 to " + max + " characters", "value_error.length");
        }
        if (!visible) {
            throw InvalidInput.field(field, "nothing visible: only spaces or invisible characters",
                    "value_error.blank");
        }
    }
}
