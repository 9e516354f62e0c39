package io.corral.config;

import java.util.List;
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
                    LoggingSettings.ALL)
            .flatMap(List::stream)
            .toList();
}
