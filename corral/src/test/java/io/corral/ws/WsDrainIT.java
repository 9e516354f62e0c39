package io.corral.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.app.App;
import io.corral.app.Routes;
import io.corral.app.WsListener;
import io.corral.testing.RawWebSocket;
import io.corral.testing.TestServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A worker's drain and the WebSocket handshakes it races. */
class WsDrainIT {

    /** Its upgrade handler waits for the test, so a handshake can straddle the start of a drain. */
    static final class GatedApp implements App {
        final CountDownLatch deciding = new CountDownLatch(1);
        final CountDownLatch decide = new CountDownLatch(1);

        @Override
        public void configure(Routes routes) {
            routes.ws("/ws/gated", request -> {
                deciding.countDown();
                decide.await();
                return new WsListener() {
                };
            });
        }
    }

    @Test
    void aHandshakeThatCompletesAfterTheDrainBeganIsClosedWith1012AndDoesNotHoldTheWorker() throws Exception {
        var app = new GatedApp();
        try (var server = TestServer.start(app)) {
            var closeCode = new CompletableFuture<Integer>();
            Thread.ofVirtual().start(() -> {
                try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws/gated")) {
                    assertThat(ws.status()).isEqualTo(101);
                    closeCode.complete(ws.awaitCloseCode());
                    ws.sendClose(1012);
                    ws.serverClosedConnection();
                } catch (Throwable e) {
                    closeCode.completeExceptionally(e);
                }
            });
            assertThat(app.deciding.await(10, TimeUnit.SECONDS)).isTrue();
            var drained = new CompletableFuture<Void>();
            Thread.ofVirtual().start(() -> {
                server.drain(Duration.ofSeconds(120), true);
                drained.complete(null);
            });
            // The listener closes after the sessions are told: once connecting is refused, the drain has begun.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (var probe = new java.net.Socket("127.0.0.1", server.port())) {
                    return false;
                } catch (java.net.ConnectException refused) {
                    return true;
                }
            });
            app.decide.countDown();
            assertThat(closeCode.get(20, TimeUnit.SECONDS)).isEqualTo(CloseCodes.SERVICE_RESTART);
            // Well inside the 120 s grace: the late session did not hold the drain open.
            drained.get(30, TimeUnit.SECONDS);
        }
    }
}
