package io.corral.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A config file ({@code -c corral.conf}): one {@code name = value} per line, names as the long options without dashes
 * ({@code worker-connections = 1000}), {@code #} comments, a name repeated to repeat a setting ({@code bind}), a
 * switch written {@code capture-output = true}. An unknown name is an error with a did-you-mean, never skipped.
 */
public final class ConfigFile {
    private ConfigFile() {
    }

    public static Config.Layer read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new Config.InvalidSetting("--config=" + file + ": no such file");
        } catch (IOException e) {
            throw new Config.InvalidSetting("--config=" + file + ": cannot read it (" + e.getMessage() + ")");
        }
        Map<Setting<?>, List<Config.Raw>> values = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + " line " + (i + 1);
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new Config.InvalidSetting(where + ": expected 'name = value', got '" + line + "'");
            }
            String name = line.substring(0, eq).strip();
            Setting<?> setting = Settings.named(name).orElseThrow(() -> unknown(name, where));
            if (setting == ProcessSettings.CONFIG) {
                throw new Config.InvalidSetting(where + ": a config file cannot name another config file");
            }
            values.computeIfAbsent(setting, s -> new ArrayList<>())
                    .add(new Config.Raw(line.substring(eq + 1).strip(), where));
        }
        return new Config.Layer(Config.Source.FILE, values);
    }

    private static Config.InvalidSetting unknown(String name, String where) {
        String nearest = Settings.nearest(name.replace('_', '-'));
        return new Config.InvalidSetting(where + ": unknown setting '" + name + "'"
                + (nearest == null ? "" : " (did you mean '" + nearest + "'?)"));
    }
}
