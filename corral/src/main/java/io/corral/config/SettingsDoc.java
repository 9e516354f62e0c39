package io.corral.config;

import java.util.stream.Collectors;

/**
 * Renders {@link Settings#ALL} as the Markdown configuration table of the README, between the markers below. A test
 * compares the committed README with this output, so the docs cannot drift from the code.
 */
public final class SettingsDoc {
    public static final String BEGIN = "<!-- settings:begin (generated from the settings table; do not edit) -->";
    public static final String END = "<!-- settings:end -->";

    private SettingsDoc() {
    }

    public static String table() {
        var out = new StringBuilder();
        for (Section section : Section.values()) {
            var settings = Settings.ALL.stream().filter(s -> s.section() == section).toList();
            if (settings.isEmpty()) {
                continue;
            }
            out.append("\n**").append(section.title()).append("**\n\n");
            out.append("| Flag | Default | Meaning |\n|---|---|---|\n");
            for (Setting<?> setting : settings) {
                String flags = setting.flags().stream()
                        .map(f -> "`" + (setting.toggle() ? f : f + " " + setting.metavar()) + "`")
                        .collect(Collectors.joining(", "));
                String dflt = setting.shownDefault() == null ? "" : "`" + setting.shownDefault() + "`";
                out.append("| ").append(flags).append(" | ").append(dflt).append(" | ")
                        .append(setting.help().replace("|", "\\|"))
                        .append(setting.repeatable() ? " (repeatable)" : "").append(" |\n");
            }
        }
        return out.toString();
    }

    /** {@code document} with the text between the markers replaced by the current table. */
    public static String updated(String document) {
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the document has no settings markers");
        }
        return document.substring(0, begin + BEGIN.length()) + "\n" + table() + "\n" + document.substring(end);
    }
}
