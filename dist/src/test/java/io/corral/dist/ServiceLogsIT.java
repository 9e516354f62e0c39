package io.corral.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unit's ExecStart, as the service user, with a log file it may not write (one left behind by a root shell, a
 * log directory created by hand): it must not serve with its logs going nowhere. Exit 1, one line on stderr, which
 * is the journal under systemd.
 */
class ServiceLogsIT {
    @TempDir
    Path tmp;

    @Test
    void anErrorLogOwnedByRootIsExit1WithOneLineSayingPermissionDenied() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "SKIPPED: needs root, to make a file the service user (nobody) may not write");
        Path home = Release.unpack(Files.createDirectory(tmp.resolve("release")));
        int port = Release.freePort();
        String unit = ServiceUnit.substituted("corral-chat.service", home, tmp, port);
        for (String dir : List.of("run", "state")) {
            ServiceUser.owns(Files.createDirectory(tmp.resolve(dir)));
        }
        Path errorLog = Files.writeString(Files.createDirectory(tmp.resolve("log")).resolve("error.log"), "");
        List<String> command = new ArrayList<>(ServiceUser.prefix(tmp));
        command.addAll(ServiceUnit.execStart(unit));

        Process corral = Release.start(command, tmp.resolve("state"), ServiceUnit.environment(tmp),
                tmp.resolve("stderr.log"));
        assertThat(corral.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("exits by itself").isTrue();
        assertThat(corral.exitValue()).isEqualTo(1);
        List<String> stderr = Files.readAllLines(tmp.resolve("stderr.log"), StandardCharsets.UTF_8);
        assertThat(stderr).singleElement().asString()
                .endsWith("[ERROR] cannot open the error log " + errorLog + ": permission denied");
        assertThat(Files.readString(errorLog)).isEmpty();
    }
}
