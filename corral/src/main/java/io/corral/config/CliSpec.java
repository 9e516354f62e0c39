package io.corral.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The {@code corral} command line, built from {@link Settings#ALL} with picocli's programmatic API, so an option
 * exists exactly when a setting does. {@code CORRAL_CMD_ARGS} is parsed by the same spec (Gunicorn's
 * {@code GUNICORN_CMD_ARGS}), and {@code -c FILE} adds the config file's layer.
 */
public final class CliSpec {
    public static final String ENV_ARGS = "CORRAL_CMD_ARGS";

    /** What the command was asked to do besides serving. */
    public enum Action { SERVE, HELP, VERSION, PRINT_CONFIG, CHECK_CONFIG }

    /** The outcome of parsing. {@code config} and {@code appClass} are null for HELP and VERSION. */
    public record Parsed(Action action, Config config, String appClass) {
    }

    private final CommandLine picocli;

    public CliSpec(String version) {
        CommandSpec spec = CommandSpec.create().name("corral").version("corral " + version);
        spec.mixinStandardHelpOptions(true);
        spec.usageMessage()
                .description("Serve a JVM web app with Corral: the app class implements io.corral.app.App.",
                        "Options may also come from $" + ENV_ARGS + " and from a config file (-c).")
                .sortOptions(false);
        for (Setting<?> setting : Settings.ALL) {
            var option = OptionSpec.builder(setting.flags().toArray(String[]::new))
                    .description(setting.help() + defaultNote(setting));
            if (setting.toggle()) {
                option.arity("0").type(boolean.class);
            } else {
                option.paramLabel(setting.metavar()).arity("1")
                        .type(setting.repeatable() ? String[].class : String.class);
            }
            spec.addOption(option.build());
        }
        spec.addOption(OptionSpec.builder("--print-config").arity("0").type(boolean.class)
                .description("Print every setting's value and where it came from, then exit.").build());
        spec.addOption(OptionSpec.builder("--check-config").arity("0").type(boolean.class)
                .description("Check the settings and load the app class, then exit 0, or 1 with the reason.").build());
        spec.addPositional(PositionalParamSpec.builder()
                .paramLabel("APP_CLASS")
                .index("0")
                .arity("0..1")
                .description("The application class, e.g. io.corral.chat.ChatApp (Gunicorn's main:app).")
                .build());
        this.picocli = new CommandLine(spec);
    }

    private static String defaultNote(Setting<?> setting) {
        return setting.shownDefault() == null || setting.toggle() ? "" : " [default: " + setting.shownDefault() + "]";
    }

    /** Parses the command line alone (no environment), as tests and embedding want. */
    public Parsed parse(String... args) {
        return parse(Map.of(), args);
    }

    /**
     * Parses {@code args} with {@code env}'s {@value #ENV_ARGS} and the config file either names. Unknown options and
     * bad values throw {@link Config.InvalidSetting} with one line that says what is wrong.
     */
    public Parsed parse(Map<String, String> env, String... args) {
        ParseResult result = parseArgs(args, "the command line");
        if (result.isUsageHelpRequested()) {
            return new Parsed(Action.HELP, null, null);
        }
        if (result.isVersionHelpRequested()) {
            return new Parsed(Action.VERSION, null, null);
        }
        // Everything the command line said is read now: picocli keeps parsed values in its option specs, so the
        // next parse (of CORRAL_CMD_ARGS) overwrites them.
        var layers = new ArrayList<Config.Layer>();
        Config.Layer cli = layer(result, Config.Source.COMMAND_LINE, "the command line");
        layers.add(cli);
        Action action = matched(result, "--print-config") ? Action.PRINT_CONFIG
                : matched(result, "--check-config") ? Action.CHECK_CONFIG : Action.SERVE;
        String appClass = result.hasMatchedPositional(0) ? result.matchedPositional(0).getValue() : null;
        String envArgs = env.get(ENV_ARGS);
        Config.Layer fromEnv = null;
        if (envArgs != null && !envArgs.isBlank()) {
            String origin = "$" + ENV_ARGS;
            ParseResult envResult = parseArgs(Tokens.split(envArgs, origin).toArray(String[]::new), origin);
            if (envResult.hasMatchedPositional(0)) {
                throw new Config.InvalidSetting(origin + " takes options only; name the app class on the command line");
            }
            fromEnv = layer(envResult, Config.Source.ENVIRONMENT, origin);
            layers.add(fromEnv);
        }
        List<Config.Raw> file = cli.values().get(ProcessSettings.CONFIG);
        if (file == null && fromEnv != null) {
            file = fromEnv.values().get(ProcessSettings.CONFIG);
        }
        if (file != null) {
            layers.add(ConfigFile.read(Path.of(file.getLast().value())));
        }
        Config config = Config.resolve(layers);
        if (appClass == null && action != Action.PRINT_CONFIG) {
            throw new Config.InvalidSetting("missing APP_CLASS: name the application class, e.g. "
                    + "corral -b 127.0.0.1:8097 io.corral.chat.ChatApp (see corral --help)");
        }
        return new Parsed(action, config, appClass);
    }

    private ParseResult parseArgs(String[] args, String origin) {
        try {
            return picocli.parseArgs(args);
        } catch (ParameterException e) {
            String message = e.getMessage();
            if (e instanceof CommandLine.UnmatchedArgumentException unmatched
                    && !unmatched.getSuggestions().isEmpty()) {
                message += " (did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?)";
            }
            String line = message.replace(System.lineSeparator(), " ").strip();
            throw new Config.InvalidSetting(origin.equals("the command line") ? line : origin + ": " + line);
        }
    }

    private static Config.Layer layer(ParseResult result, Config.Source source, String origin) {
        Map<Setting<?>, List<Config.Raw>> values = new HashMap<>();
        for (Setting<?> setting : Settings.ALL) {
            OptionSpec option = result.matchedOption(setting.flag());
            if (option == null) {
                continue;
            }
            List<String> raw = setting.toggle() ? List.of("true") : option.stringValues();
            values.put(setting, raw.stream().map(v -> new Config.Raw(v, origin)).toList());
        }
        return new Config.Layer(source, values);
    }

    private static boolean matched(ParseResult result, String option) {
        return result.matchedOption(option) != null;
    }

    public String usage() {
        return picocli.getUsageMessage();
    }

    public String version() {
        return picocli.getCommandSpec().version()[0];
    }
}
