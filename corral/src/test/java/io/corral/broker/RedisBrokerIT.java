package io.corral.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.testing.CorralProcess;
import io.corral.testing.RedisServer;
import io.corral.testing.WsClient;
import io.corral.ws.WsTestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Two Corral services (two masters, two ports, as on two hosts) joined by one Redis: a message published on one
 * reaches the clients of the other, and Redis dying in the middle stops neither HTTP nor, once it is back, the
 * messages.
 */
class RedisBrokerIT {
    private static final String APP = WsTestApp.class.getName();

    @Test
    void servicesOnOneRedisFormOneSystemAndSurviveARedisRestart() throws Exception {
        try (var redis = RedisServer.start();
             var east = CorralProcess.start("-w", "2", "-b", "127.0.0.1:0", "--broker", redis.url(), APP);
             var west = CorralProcess.start("-w", "2", "-b", "127.0.0.1:0", "--broker", redis.url(), APP)) {
            int eastPort = east.port();
            int westPort = west.port();
            for (CorralProcess service : List.of(east, west)) {  // six JVMs booting on two cores: wait for them
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> service.count(Pattern.compile("worker \\d+ \\(pid \\d+\\) ready")) >= 2);
            }
            try (var alice = WsClient.connect(eastPort, "/ws/topic/room");
                 var bob = WsClient.connect(westPort, "/ws/topic/room")) {
                alice.next("ready ");
                bob.next("ready ");
                alice.send("pub hello from east");
                assertThat(bob.next()).isEqualTo("hello from east");
                assertThat(alice.next()).as("the publisher's own client too").isEqualTo("hello from east");

                var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                var running = new AtomicBoolean(true);
                var served = new AtomicInteger();
                var failed = new AtomicInteger();
                Thread load = Thread.ofVirtual().start(() -> {
                    while (running.get()) {
                        for (int port : List.of(eastPort, westPort)) {
                            try {
                                var response = http.send(HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + port + "/health"))
                                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                                (response.statusCode() == 200 ? served : failed).incrementAndGet();
                            } catch (Exception e) {
                                failed.incrementAndGet();
                            }
                        }
                    }
                });

                int eastLines = east.lines().size();
                redis.kill();
                east.awaitLine(Pattern.compile("Broker: lost Redis at"), eastLines);
                int servedWhileDown = served.get();
                alice.send("pub lost while Redis is down");
                await().atMost(Duration.ofSeconds(10)).until(() -> served.get() > servedWhileDown + 50);

                redis.startAgain();
                int[] attempt = {0};
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                        .alias("a message crossing services after Redis is back")
                        .until(() -> {
                            alice.send("pub after " + ++attempt[0]);
                            return bob.drain().stream().anyMatch(m -> m.startsWith("after "));
                        });
                running.set(false);
                load.join();
                assertThat(failed.get()).as("HTTP requests failed while Redis was away").isZero();
                assertThat(served.get()).isGreaterThan(100);
            }
        }
    }
}
