package io.corral.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The {@code corral} command line, built from {@link Settings#ALL} with picocli's programmatic API, so an option
 * exists exactly when a setting does. Parsing yields a {@link Config} plus the app class.
 */
public final class CliSpec {

    /** What the command line asked for. {@code appClass} is null when only help or version was asked. */
    public record Parsed(Config config, String appClass, boolean helpRequested, boolean versionRequested) {
    }

    private final picocli.CommandLine picocli;

    public CliSpec(String version) {
        CommandSpec spec = CommandSpec.create().name("corral").version("corral " + version);
        spec.mixinStandardHelpOptions(true);
        spec.usageMessage()
                .description("Serve a JVM web app with Corral: the app class implements io.corral.app.App.")
                .sortOptions(false);
        for (Setting<?> setting : Settings.ALL) {
            spec.addOption(OptionSpec.builder(setting.flags().toArray(String[]::new))
                    .paramLabel(setting.metavar())
                    .arity("1")
                    .type(setting.repeatable() ? String[].class : String.class)
                    .description(setting.help() + defaultNote(setting))
                    .build());
        }
        spec.addPositional(PositionalParamSpec.builder()
                .paramLabel("APP_CLASS")
                .index("0")
                .arity("0..1")
                .description("The application class, e.g. io.corral.chat.ChatApp (Gunicorn's main:app).")
                .build());
        this.picocli = new picocli.CommandLine(spec);
    }

    private static String defaultNote(Setting<?> setting) {
        return setting.defaultValue() == null ? "" : " [default: " + setting.defaultValue() + "]";
    }

    /**
     * Parses {@code args}. Unknown options and bad values throw {@link Config.InvalidSetting} with one line that says
     * what is wrong (picocli's did-you-mean included).
     */
    public Parsed parse(String... args) {
        ParseResult result;
        try {
            result = picocli.parseArgs(args);
        } catch (ParameterException e) {
            throw new Config.InvalidSetting(oneLine(e));
        }
        if (result.isUsageHelpRequested() || result.isVersionHelpRequested()) {
            return new Parsed(null, null, result.isUsageHelpRequested(), result.isVersionHelpRequested());
        }
        Map<Setting<?>, List<String>> given = new LinkedHashMap<>();
        for (Setting<?> setting : Settings.ALL) {
            OptionSpec option = result.matchedOption(setting.flag());
            if (option != null) {
                given.put(setting, new ArrayList<>(option.stringValues()));
            }
        }
        String appClass = result.hasMatchedPositional(0) ? result.matchedPositional(0).getValue() : null;
        if (appClass == null) {
            throw new Config.InvalidSetting("missing APP_CLASS: name the application class, e.g. "
                    + "corral -b 127.0.0.1:8097 io.corral.chat.ChatApp (see corral --help)");
        }
        return new Parsed(Config.resolve(given), appClass, false, false);
    }

    private static String oneLine(ParameterException e) {
        String message = e.getMessage();
        if (e instanceof picocli.CommandLine.UnmatchedArgumentException unmatched
                && !unmatched.getSuggestions().isEmpty()) {
            message += " (did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?)";
        }
        return message.replace(System.lineSeparator(), " ").strip();
    }

    public String usage() {
        return picocli.getUsageMessage();
    }

    public String version() {
        return picocli.getCommandSpec().version()[0];
    }
}
