package io.corral.config;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resolved value of every setting, and where each came from. Built once and never changed: a worker serves with
 * the settings it started with, and new settings mean a new generation of workers.
 */
public final class Config {

    /** Where values come from, lowest precedence first. */
    public enum Source { DEFAULT, FILE, ENVIRONMENT, COMMAND_LINE }

    /** One raw value and where it was written (for messages): "the command line", "/etc/corral.conf line 3". */
    public record Raw(String value, String origin) {
    }

    /** The raw values one source gives, per setting. */
    public record Layer(Source source, Map<Setting<?>, List<Raw>> values) {
        public Layer {
            values = Map.copyOf(values);
        }
    }

    private final Map<Setting<?>, List<?>> values;
    private final Map<Setting<?>, List<Raw>> raws;
    private final Map<Setting<?>, Source> sources;

    private Config(Map<Setting<?>, List<?>> values, Map<Setting<?>, List<Raw>> raws, Map<Setting<?>, Source> sources) {
        this.values = Map.copyOf(values);
        this.raws = Map.copyOf(raws);
        this.sources = Map.copyOf(sources);
    }

    /** The value of a single-valued setting, or {@code null} when it has no default and was not given. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        if (setting.repeatable()) {
            throw new IllegalArgumentException(setting.flag() + " is repeatable; use all()");
        }
        List<?> list = values.get(setting);
        return list.isEmpty() ? null : (T) list.getFirst();
    }

    /** Every value of a repeatable setting, in the order given. */
    @SuppressWarnings("unchecked")
    public <T> List<T> all(Setting<T> setting) {
        return (List<T>) values.get(setting);
    }

    public Source source(Setting<?> setting) {
        return sources.get(setting);
    }

    /**
     * The raw values that differ from the defaults, per setting name: what a worker needs to rebuild this exact
     * configuration (the master sends it over the control channel, never on a command line).
     */
    public Map<String, List<String>> explicitValues() {
        var explicit = new LinkedHashMap<String, List<String>>();
        for (Setting<?> setting : Settings.ALL) {
            if (sources.get(setting) != Source.DEFAULT) {
                explicit.put(setting.name(), raws.get(setting).stream().map(Raw::value).toList());
            }
        }
        return explicit;
    }

    /**
     * Resolves every setting: each takes its values from the highest-precedence layer that has it (command line over
     * environment over file over default); a repeatable setting takes that layer's whole list.
     */
    public static Config resolve(List<Layer> layers) {
        var values = new HashMap<Setting<?>, List<?>>();
        var raws = new HashMap<Setting<?>, List<Raw>>();
        var sources = new HashMap<Setting<?>, Source>();
        for (Setting<?> setting : Settings.ALL) {
            List<Raw> raw = null;
            Source source = Source.DEFAULT;
            for (Layer layer : layers) {
                List<Raw> given = layer.values().get(setting);
                if (given != null && !given.isEmpty() && layer.source().compareTo(source) >= 0) {
                    raw = given;
                    source = layer.source();
                }
            }
            if (raw == null) {
                raw = setting.defaultValue() == null ? List.of() : List.of(new Raw(setting.defaultValue(), "default"));
            }
            List<Raw> effective = setting.repeatable() || raw.isEmpty() ? raw : List.of(raw.getLast());
            values.put(setting, effective.stream().map(r -> parseOne(setting, r)).toList());
            raws.put(setting, effective);
            sources.put(setting, source);
        }
        return new Config(values, raws, sources);
    }

    /** Rebuilds a configuration from {@link #explicitValues()}, as a worker does with what its master sent. */
    public static Config fromExplicitValues(Map<String, List<String>> explicit) {
        var values = new HashMap<Setting<?>, List<Raw>>();
        explicit.forEach((name, list) -> values.put(Settings.named(name)
                .orElseThrow(() -> new InvalidSetting("unknown setting '" + name + "' from the master")),
                list.stream().map(v -> new Raw(v, "the master")).toList()));
        return resolve(List.of(new Layer(Source.COMMAND_LINE, values)));
    }

    private static Object parseOne(Setting<?> setting, Raw raw) {
        try {
            return setting.parser().apply(raw.value());
        } catch (IllegalArgumentException e) {
            throw new InvalidSetting(setting.flag() + "=" + raw.value() + " (from " + raw.origin() + "): "
                    + e.getMessage());
        }
    }

    /** Each setting as {@code name = value  # source}, for {@code --print-config}. */
    public String describe() {
        var out = new StringBuilder();
        for (Setting<?> setting : Settings.ALL) {
            List<Raw> given = raws.get(setting);
            String origin = sources.get(setting) == Source.DEFAULT ? "default" : given.getLast().origin();
            if (given.isEmpty()) {
                out.append("# ").append(setting.name()).append(" is not set\n");
            }
            for (Raw raw : given) {
                out.append(setting.name()).append(" = ").append(raw.value()).append("    # ").append(origin)
                        .append('\n');
            }
        }
        return out.toString();
    }

    /** A value that breaks its setting's rule; the message names the setting, the value, its source and the rule. */
    public static final class InvalidSetting extends RuntimeException {
        public InvalidSetting(String message) {
            super(message, null, false, false);
        }
    }
}
