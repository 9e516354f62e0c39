package io.corral.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.corral.testing.CorralProcess;
import io.corral.testing.RawClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process settings, seen from outside: the workers' user, environment and directory; the master's files. */
class ProcessSettingsIT {
    private static final String APP = MasterTestApp.class.getName();

    @TempDir
    Path tmp;

    @Test
    void workersGetTheirEnvironmentAndDirectory() throws Exception {
        try (var corral = CorralProcess.start("-w", "1", "-e", "GREETING=hello world", "--chdir", tmp.toString(),
                "-b", "127.0.0.1:0", APP)) {
            int port = corral.port();
            MasterIT.awaitReady(corral, 1);
            assertThat(MasterIT.get(port, "/env/GREETING").body()).isEqualTo("\"hello world\"");
            assertThat(MasterIT.get(port, "/cwd").body()).isEqualTo("\"" + tmp + "\"");
            assertThat(MasterIT.get(port, "/env/NOTIFY_SOCKET").body()).as("systemd's are the master's")
                    .isEqualTo("\"null\"");
        }
    }

    @Test
    void umaskAppliesToTheUnixSocketAndThePidfileIsWrittenAndRemoved() throws Exception {
        Path socket = tmp.resolve("corral.sock");
        Path pidfile = tmp.resolve("corral.pid");
        try (var corral = CorralProcess.start("-w", "1", "-m", "077", "-p", pidfile.toString(),
                "-b", "unix:" + socket, APP)) {
            MasterIT.awaitReady(corral, 1);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rwx------");
            assertThat(Files.readString(pidfile).strip()).isEqualTo(Long.toString(corral.pid()));
            corral.signal("TERM");
            assertThat(corral.awaitExit()).isZero();
            assertThat(pidfile).doesNotExist();
        }
    }

    @Test
    void workersRunAsTheGivenUserAndGroup() throws Exception {
        assumeThat(System.getProperty("user.name")).as("SKIPPED: --user needs a root master").isEqualTo("root");
        // The worker user must be able to read the app: as in a deployment, the classpath lives where it can.
        String classpath = readableCopyOfTheClasspath(Files.createDirectories(tmp.resolve("lib")));
        try (var corral = CorralProcess.start("-w", "1", "-u", "nobody", "-g", "nogroup", "--classpath", classpath,
                "-b", "127.0.0.1:0", APP)) {
            int port = corral.port();
            long pid = Long.parseLong(MasterIT.awaitReady(corral, 1).getFirst().group(2));
            String status = Files.readString(Path.of("/proc/" + pid + "/status"));
            assertThat(status).containsPattern(Pattern.compile("Uid:\\s+65534\\s+65534"));
            assertThat(status).containsPattern(Pattern.compile("Gid:\\s+65534\\s+65534"));
            try (var client = new RawClient(port)) {
                assertThat(client.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
            }
        }
    }

    /** Copies every classpath entry under {@code lib} (readable by all) and returns the new classpath. */
    private String readableCopyOfTheClasspath(Path lib) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        var copies = new java.util.ArrayList<String>();
        int n = 0;
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path target = lib.resolve((n++) + "-" + source.getFileName());
            if (Files.isDirectory(source)) {
                try (var files = Files.walk(source)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        Path copy = target.resolve(source.relativize(file).toString());
                        if (Files.isDirectory(file)) {
                            Files.createDirectories(copy);
                        } else {
                            Files.copy(file, copy);
                        }
                    }
                }
            } else {
                Files.copy(source, target);
            }
            copies.add(target.toString());
        }
        // @TempDir is 0700 for root: open the path down to lib to others, as /opt/corral is. Up to the @TempDir and
        // no further: its parent is the system's /tmp, whose mode (1777) is not ours to change.
        for (Path p = lib; p != null && p.startsWith(tmp); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try (var files = Files.walk(lib)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.setPosixFilePermissions(file,
                        PosixFilePermissions.fromString(Files.isDirectory(file) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(java.io.File.pathSeparator, copies);
    }
}
