package io.corral.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The resolved value of every setting, and where each came from. Built once at start and never changed: a worker
 * serves with the settings it started with (new settings mean a new worker).
 */
public final class Config {

    /** Where a value came from, for messages and {@code --print-config}. */
    public enum Source { DEFAULT, COMMAND_LINE }

    private final Map<Setting<?>, List<?>> values;
    private final Map<Setting<?>, Source> sources;

    private Config(Map<Setting<?>, List<?>> values, Map<Setting<?>, Source> sources) {
        this.values = Map.copyOf(values);
        this.sources = Map.copyOf(sources);
    }

    /** The value of a single-valued setting. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        if (setting.repeatable()) {
            throw new IllegalArgumentException(setting.flag() + " is repeatable; use all()");
        }
        return (T) values.get(setting).getFirst();
    }

    /** Every value of a repeatable setting, in the order given. */
    @SuppressWarnings("unchecked")
    public <T> List<T> all(Setting<T> setting) {
        return (List<T>) values.get(setting);
    }

    public Source source(Setting<?> setting) {
        return sources.get(setting);
    }

    /** The defaults, overridden by {@code given}: raw values per setting, as typed on the command line. */
    public static Config resolve(Map<Setting<?>, List<String>> given) {
        var values = new HashMap<Setting<?>, List<?>>();
        var sources = new HashMap<Setting<?>, Source>();
        for (Setting<?> setting : Settings.ALL) {
            List<String> raw = given.get(setting);
            Source source = raw == null || raw.isEmpty() ? Source.DEFAULT : Source.COMMAND_LINE;
            if (source == Source.DEFAULT) {
                raw = setting.defaultValue() == null ? List.of() : List.of(setting.defaultValue());
            }
            values.put(setting, parseAll(setting, setting.repeatable() ? raw : List.of(raw.getLast()), source));
            sources.put(setting, source);
        }
        return new Config(values, sources);
    }

    /** The defaults with a few settings overridden, for embedding and tests. */
    public static Config of(Map<Setting<?>, String> overrides) {
        var given = new HashMap<Setting<?>, List<String>>();
        overrides.forEach((setting, value) -> given.put(setting, List.of(value)));
        return resolve(given);
    }

    private static List<?> parseAll(Setting<?> setting, List<String> raw, Source source) {
        return raw.stream().map(value -> parseOne(setting, value, source)).toList();
    }

    private static Object parseOne(Setting<?> setting, String value, Source source) {
        try {
            return setting.parser().apply(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidSetting(setting.flag() + "=" + value + " (from " + describe(source) + "): "
                    + e.getMessage());
        }
    }

    private static String describe(Source source) {
        return switch (source) {
            case DEFAULT -> "the default";
            case COMMAND_LINE -> "the command line";
        };
    }

    /** A value that breaks its setting's rule; the message names the setting, the value, its source and the rule. */
    public static final class InvalidSetting extends RuntimeException {
        InvalidSetting(String message) {
            super(message, null, false, false);
        }
    }
}
