package io.corral.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The shipped {@code corral-chat.service}, its install paths pointed at a test's folders as an installer would
 * substitute them: {@code /opt/corral-chat} at {@code install}, the log, run and state directories under
 * {@code tmp}, port 8097 at {@code port}.
 */
final class ServiceUnit {
    static final Path UNITS = Path.of("../deploy/systemd");

    private ServiceUnit() {
    }

    static String substituted(String unit, Path install, Path tmp, int port) throws Exception {
        return Files.readString(UNITS.resolve(unit))
                .replace("/opt/corral-chat", install.toString())
                .replace("/var/log/corral-chat", tmp.resolve("log").toString())
                .replace("/run/corral-chat", tmp.resolve("run").toString())
                .replace("/var/lib/corral-chat", tmp.resolve("state").toString())
                .replace("127.0.0.1:8097", "127.0.0.1:" + port);
    }

    /**
     * What systemd adds to the service's environment for the unit's {@code CacheDirectory=}: the directory, under
     * {@code tmp}, created and given to the service user.
     */
    static Map<String, String> environment(Path tmp) throws Exception {
        Path cache = ServiceUser.owns(Files.createDirectories(tmp.resolve("cache")));
        return Map.of("CACHE_DIRECTORY", cache.toString());
    }

    /** The ExecStart command, its backslash-continued lines joined, split into words. */
    static List<String> execStart(String unit) {
        String joined = unit.replace("\\\n", " ");
        return new ArrayList<>(Arrays.asList(line(joined, "ExecStart=").trim().split("\\s+")));
    }

    /** The value of the first {@code key} line ({@code "ExecReload="}). */
    static String line(String unit, String key) {
        return unit.lines().filter(l -> l.startsWith(key)).findFirst().orElseThrow().substring(key.length());
    }
}
