package io.corral.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.testing.NotifySocket;
import io.corral.testing.RequiredService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped systemd units: {@code systemd-analyze verify} accepts them, and the service's ExecStart, run as
 * written (its paths pointed at an unpacked release and a scratch folder), speaks sd_notify as Type=notify needs:
 * READY=1, RELOADING=1 then READY=1 on ExecReload's HUP, STOPPING=1 on TERM, and exits 0.
 */
class SystemdUnitIT {
    @TempDir
    Path tmp;
    private Path home;

    @BeforeEach
    void unpack() throws Exception {
        home = Release.unpack(Files.createDirectory(tmp.resolve("release")));
    }

    private String substituted(String unit, int port) throws Exception {
        return ServiceUnit.substituted(unit, home, tmp, port);
    }

    @Test
    void systemdAnalyzeVerifyAcceptsTheUnits() throws Exception {
        Path analyze = RequiredService.require("systemd-analyze", "apt-get install systemd");
        Path units = Files.createDirectory(tmp.resolve("units"));
        for (String unit : List.of("corral-chat.service", "corral-chat.socket")) {
            Files.writeString(units.resolve(unit), substituted(unit, 8097));
        }
        Process verify = new ProcessBuilder(analyze.toString(), "verify", "corral-chat.service", "corral-chat.socket")
                .directory(units.toFile()).redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor()).as(output).isZero();
        assertThat(output.strip()).as("no warnings").isEmpty();
    }

    @Test
    void theExecStartLineAsWrittenReachesReadyReloadsAndStops() throws Exception {
        int port = Release.freePort();
        String unit = substituted("corral-chat.service", port);
        List<String> command = ServiceUnit.execStart(unit);
        assertThat(command.getFirst()).isEqualTo(home.resolve("bin/corral").toString());
        for (String dir : List.of("log", "run", "state")) {
            Files.createDirectory(tmp.resolve(dir));
        }
        try (var notify = new NotifySocket(tmp.resolve("notify.sock"))) {
            Process corral = Release.start(command, tmp.resolve("state"),
                    with(ServiceUnit.environment(tmp), "NOTIFY_SOCKET", notify.path().toString()),
                    tmp.resolve("stderr.log"));
            try {
                int ready = notify.await("READY=1", 0);
                assertThat(Release.get("http://127.0.0.1:" + port + "/health").statusCode()).isEqualTo(200);
                long mainPid = Long.parseLong(Files.readString(tmp.resolve("run/corral.pid")).strip());
                assertThat(mainPid).isEqualTo(corral.pid());
                assertThat(String.join("\n", notify.messages())).contains("MAINPID=" + corral.pid());

                // ExecReload=/bin/kill -HUP $MAINPID
                String reload = ServiceUnit.line(unit, "ExecReload=").replace("$MAINPID", Long.toString(mainPid));
                assertThat(new ProcessBuilder(reload.split(" ")).start().waitFor()).isZero();
                int reloading = notify.await("RELOADING=1", ready + 1);
                notify.await("READY=1", reloading + 1);
                assertThat(Files.readString(tmp.resolve("log/error.log"))).contains("Reload done");
            } finally {
                assertThat(Release.stop(corral)).as("exit code after KillSignal=SIGTERM").isZero();
            }
            assertThat(String.join("\n", notify.messages())).contains("STOPPING=1");
        }
    }

    private static Map<String, String> with(Map<String, String> env, String key, String value) {
        var all = new java.util.HashMap<>(env);
        all.put(key, value);
        return all;
    }
}
