package io.corral.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.testing.CorralProcess;
import io.corral.testing.WsClient;
import io.corral.ws.WsTestApp;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The broker through the master: one topic, many clients spread over every worker, every message exactly once. */
class LocalBrokerIT {
    private static final int WORKERS = 4;
    private static final int CLIENTS = 200;
    private static final int PUBLISHERS = 4;
    private static final int MESSAGES = 50;

    @Test
    void everyMessageReachesEveryClientOnEveryWorkerOnceAndInOrderPerPublisher() throws Exception {
        try (var corral = CorralProcess.start("-w", Integer.toString(WORKERS), "-b", "127.0.0.1:0",
                WsTestApp.class.getName());
             ExecutorService connecting = Executors.newFixedThreadPool(16)) {
            int port = corral.port();
            for (int i = 1; i <= WORKERS; i++) {
                corral.awaitLine(Pattern.compile("worker " + i + " \\(pid \\d+\\) ready"));
            }
            var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            List<Future<WsClient>> pending = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                pending.add(connecting.submit(() -> WsClient.connect(http, port, "/ws/topic/lobby")));
            }
            List<WsClient> clients = new ArrayList<>();
            Map<WsClient, String> workerOf = new HashMap<>();
            for (Future<WsClient> future : pending) {
                WsClient client = future.get();
                clients.add(client);
                workerOf.put(client, client.next("ready "));  // subscribed before it says ready
            }
            Set<String> workers = new HashSet<>(workerOf.values());
            assertThat(workers).as("clients on every worker").hasSize(WORKERS);

            // One publisher per worker, all publishing at once.
            List<WsClient> publishers = new ArrayList<>();
            for (String worker : workers) {
                publishers.add(clients.stream().filter(c -> workerOf.get(c).equals(worker)).findFirst().orElseThrow());
            }
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                WsClient publisher = publishers.get(p);
                int id = p;
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int m = 1; m <= MESSAGES; m++) {
                        publisher.send("pub " + id + ":" + m);
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            for (WsClient client : clients) {
                int[] last = new int[PUBLISHERS];
                for (int i = 0; i < PUBLISHERS * MESSAGES; i++) {
                    String[] message = client.next().split(":");
                    int publisher = Integer.parseInt(message[0]);
                    int seq = Integer.parseInt(message[1]);
                    assertThat(seq).as("publisher %d's next message on %s", publisher, workerOf.get(client))
                            .isEqualTo(last[publisher] + 1);
                    last[publisher] = seq;
                }
                assertThat(last).containsOnly(MESSAGES);
            }
            // Exactly once: after a last marker from one client, nothing else is left in any queue.
            publishers.getFirst().send("pub end");
            for (WsClient client : clients) {
                assertThat(client.next()).isEqualTo("end");
                assertThat(client.drain()).isEmpty();
                client.close();
            }
        }
    }
}
