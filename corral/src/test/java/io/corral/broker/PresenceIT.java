package io.corral.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.testing.CorralProcess;
import io.corral.testing.WsClient;
import io.corral.ws.WsTestApp;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Presence across the workers of one host: joins, leaves, and a worker killed with its users still online. */
class PresenceIT {

    @Test
    void usersOnEveryWorkerAreSeenAndThoseOfADeadWorkerVanish() throws Exception {
        try (var corral = CorralProcess.start("-w", "2", "-b", "127.0.0.1:0", WsTestApp.class.getName())) {
            int port = corral.port();
            corral.awaitLine(Pattern.compile("worker 2 \\(pid \\d+\\) ready"));
            var ann = WsClient.connect(port, "/ws/presence/lobby?user=ann");
            String annWorker = ann.next("ready ");
            WsClient bob;
            String bobWorker;
            do {  // the kernel picks the worker: connect until bob is on the other one
                bob = WsClient.connect(port, "/ws/presence/lobby?user=bob");
                bobWorker = bob.next("ready ");
                if (bobWorker.equals(annWorker)) {
                    bob.close();
                }
            } while (bobWorker.equals(annWorker));
            var bobSecondTab = WsClient.connect(port, "/ws/presence/lobby?user=bob");
            bobSecondTab.next("ready ");

            awaitOnline(ann, "online {ann=1, bob=2}");
            bobSecondTab.close();
            awaitOnline(ann, "online {ann=1, bob=1}");
            awaitOnline(bob, "online {ann=1, bob=1}");

            long bobPid = Long.parseLong(bobWorker.substring("ready ".length()));
            CorralProcess.signal("KILL", bobPid);
            awaitOnline(ann, "online {ann=1}");
            ann.close();
        }
    }

    private static void awaitOnline(WsClient client, String expected) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).alias(expected).until(() -> {
            client.drain();
            client.send("who");
            return client.next("online ").equals(expected);
        });
    }
}
