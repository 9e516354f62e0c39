package io.corral.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.testing.CorralProcess;
import io.corral.testing.RawClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Workers sharing the master's socket take turns at accepting a burst of connections (http.AcceptTurns). */
class AcceptTurnsIT {
    private static final Pattern PID = Pattern.compile("\"pid\":(\\d+)");
    private static final int CONNECTIONS = 16;

    @Test
    void aBurstOfConnectionsIsSpreadOverTheWorkers() throws Exception {
        // On one CPU, as the benchmark pins its servers: there the first worker to run used to accept the whole
        // burst, since nothing else ran until it had drained the queue. The CPUs this test may use, not 0 and 1: a
        // container's cpuset may hold others.
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/taskset")), "taskset (util-linux) is missing");
        String allowed = allowedCpus();
        List<Integer> cpus = expand(allowed);
        Assumptions.assumeTrue(cpus.size() >= 2, "needs two CPUs, has " + allowed);
        try (var corral = CorralProcess.start(Map.of(), List.of("/usr/bin/taskset", "-c", cpus.get(0).toString()),
                "-w", "2", "-b", "127.0.0.1:0", MasterTestApp.class.getName())) {
            int port = corral.port();
            MasterIT.awaitReady(corral, 2);
            // The first burst on a new worker loads the classes of a connection's pipeline on the way: warm-up.
            burst(port);
            // The client on the other CPU, as the benchmark's: connecting as fast as it can while the workers run.
            String thread = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            Map<Long, Integer> connectionsPerWorker;
            taskset(cpus.get(1).toString(), thread);
            try {
                connectionsPerWorker = burst(port);
            } finally {
                taskset(allowed, thread);
            }
            System.out.println("connections per worker pid: " + connectionsPerWorker);
            // Turns are a race between two processes, not a strict alternation: a fair share, not exactly half.
            assertThat(connectionsPerWorker).hasSize(2);
            assertThat(connectionsPerWorker.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(4));
        }
    }

    /** Connects 16 clients, then asks each which worker it reached: connections per worker pid. */
    private static Map<Long, Integer> burst(int port) throws Exception {
        var clients = new ArrayList<RawClient>();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                clients.add(new RawClient(port));
            }
            var connectionsPerWorker = new TreeMap<Long, Integer>();
            for (RawClient client : clients) {
                String body = client.send("GET /pid HTTP/1.1\r\nHost: x\r\n\r\n").read().text();
                Matcher pid = PID.matcher(body);
                assertThat(pid.find()).as(body).isTrue();
                connectionsPerWorker.merge(Long.parseLong(pid.group(1)), 1, Integer::sum);
            }
            return connectionsPerWorker;
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
    }

    /** Pins a thread of this JVM (its Linux thread id) to the CPUs given. */
    private static void taskset(String cpus, String thread) throws Exception {
        var command = List.of("/usr/bin/taskset", "-p", "-c", cpus, thread);
        var process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
    }

    /** This thread's CPUs as the kernel lists them ({@code Cpus_allowed_list}: "0-3", "2,5-6"). */
    private static String allowedCpus() throws Exception {
        return Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                .filter(line -> line.startsWith("Cpus_allowed_list:"))
                .map(line -> line.substring(line.indexOf(':') + 1).strip())
                .findFirst().orElseThrow();
    }

    private static List<Integer> expand(String list) {
        var cpus = new ArrayList<Integer>();
        for (String part : list.split(",")) {
            String[] range = part.split("-");
            int first = Integer.parseInt(range[0]);
            int last = Integer.parseInt(range[range.length - 1]);
            for (int cpu = first; cpu <= last; cpu++) {
                cpus.add(cpu);
            }
        }
        return cpus;
    }
}
