package io.corral.config;

import java.util.ArrayList;
import java.util.List;

/** Splits {@code CORRAL_CMD_ARGS} into arguments as a POSIX shell would: spaces separate, quotes group. */
final class Tokens {
    private Tokens() {
    }

    static List<String> split(String text, String origin) {
        var tokens = new ArrayList<String>();
        var current = new StringBuilder();
        boolean inToken = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    current.append(text.charAt(++i));
                } else {
                    current.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inToken = true;
            } else if (c == '\\' && i + 1 < text.length()) {
                current.append(text.charAt(++i));
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    tokens.add(current.toString());
                    current.setLength(0);
                    inToken = false;
                }
            } else {
                current.append(c);
                inToken = true;
            }
        }
        if (quote != 0) {
            throw new Config.InvalidSetting(origin + ": unbalanced " + quote + " quote");
        }
        if (inToken) {
            tokens.add(current.toString());
        }
        return tokens;
    }
}
