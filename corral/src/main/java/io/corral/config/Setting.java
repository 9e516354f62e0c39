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
 */
public record Setting<T>(
        String name,
        List<String> flags,
        Section section,
        String metavar,
        Function<String, T> parser,
        String defaultValue,
        boolean repeatable,
        String help) {

    public Setting {
        flags = List.copyOf(flags);
        if (!flags.contains("--" + name)) {
            throw new IllegalArgumentException("setting " + name + " must have the flag --" + name);
        }
    }

    static <T> Setting<T> of(String name, Section section, String metavar, Function<String, T> parser,
                             String defaultValue, String help, String... shortFlags) {
        return new Setting<>(name, flagsOf(name, shortFlags), section, metavar, parser, defaultValue, false, help);
    }

    static <T> Setting<T> repeatable(String name, Section section, String metavar, Function<String, T> parser,
                                     String defaultValue, String help, String... shortFlags) {
        return new Setting<>(name, flagsOf(name, shortFlags), section, metavar, parser, defaultValue, true, help);
    }

    private static List<String> flagsOf(String name, String... shortFlags) {
        var flags = new java.util.ArrayList<>(List.of(shortFlags));
        flags.add("--" + name);
        return flags;
    }

    /** The long flag, as messages name the setting: {@code --keep-alive}. */
    public String flag() {
        return "--" + name;
    }
}
