package io.corral.config;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Every setting, in section order: the one list the CLI, the help and the docs table are made from. */
public final class Settings {
    private Settings() {
    }

    public static final List<Setting<?>> ALL = Stream.of(
                    ServerSocketSettings.ALL,
                    WorkerSettings.ALL,
                    HttpLimitSettings.ALL,
                    SecuritySettings.ALL,
                    WebSocketSettings.ALL,
                    BrokerSettings.ALL,
                    LoggingSettings.ALL,
                    ProcessSettings.ALL,
                    AppSettings.ALL)
            .flatMap(List::stream)
            .toList();

    /** The setting a config-file key or a {@code --print-config} line names; {@code _} may stand for {@code -}. */
    public static Optional<Setting<?>> named(String name) {
        String normal = name.strip().replace('_', '-');
        return ALL.stream().filter(s -> s.name().equals(normal)).findFirst();
    }

    /** The setting name closest to {@code name}, for did-you-mean messages. */
    static String nearest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Setting<?> setting : ALL) {
            int d = distance(name, setting.name());
            if (d < bestDistance) {
                best = setting.name();
                bestDistance = d;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
