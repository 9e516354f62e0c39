package io.corral.config;

import java.util.List;
import java.util.function.Function;

/**
 * One setting, declared once: from this record come the command-line option, the help line, the docs table and
 * the validation message. {@code name} is the long option without dashes (and, later, the config-file key).
 *
 * @param parser turns one raw value into {@code T}, throwing {@link IllegalArgumentException} with the rule broken
 * @param defaultValue the default in raw form, parsed by {@code parser}, so help and docs show exactly what applies;
 *                     {@code null} when the setting has no default (a repeatable setting defaults to empty)
 * @param repeatable   whether the option may be given several times, collecting a list
 * @param toggle       whether the option takes no value on the command line (a switch: present means true)
 * @param defaultDoc   how help and docs describe a default that depends on the machine; {@code null} when the
 *                     default is the fixed {@code defaultValue}
 */
public record Setting<T>(
        String name,
        List<String> flags,
        Section section,
        String metavar,
        Function<String, T> parser,
        String defaultValue,
        boolean repeatable,
        boolean toggle,
        String help,
        String defaultDoc) {

    public Setting {
        flags = List.copyOf(flags);
        if (!flags.contains("--" + name)) {
            throw new IllegalArgumentException("setting " + name + " must have the flag --" + name);
        }
    }

    static <T> Setting<T> of(String name, Section section, String metavar, Function<String, T> parser,
                             String defaultValue, String help, String... shortFlags) {
        return new Setting<>(name, flagsOf(name, shortFlags), section, metavar, parser, defaultValue, false, false,
                help, null);
    }

    /** A switch: {@code --capture-output} on the command line, {@code capture-output = true} in a file. */
    static Setting<Boolean> toggle(String name, Section section, String help) {
        return new Setting<>(name, flagsOf(name), section, "", Parsers.bool(), "false", false, true, help, null);
    }

    static <T> Setting<T> repeatable(String name, Section section, String metavar, Function<String, T> parser,
                                     String defaultValue, String help, String... shortFlags) {
        return new Setting<>(name, flagsOf(name, shortFlags), section, metavar, parser, defaultValue, true, false,
                help, null);
    }

    private static List<String> flagsOf(String name, String... shortFlags) {
        var flags = new java.util.ArrayList<>(List.of(shortFlags));
        flags.add("--" + name);
        return flags;
    }

    /** This setting with its default described as {@code doc} in help and docs (a default the machine decides). */
    Setting<T> documentedDefault(String doc) {
        return new Setting<>(name, flags, section, metavar, parser, defaultValue, repeatable, toggle, help, doc);
    }

    /** The default as help and docs show it; {@code null} when there is none. */
    public String shownDefault() {
        return defaultDoc != null ? defaultDoc : defaultValue;
    }

    /** The long flag, as messages name the setting: {@code --keep-alive}. */
    public String flag() {
        return "--" + name;
    }
}
