package io.corral.testing;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Continuous HTTP load for zero-downtime tests: keep-alive clients (each one connection, reused until the server
 * answers {@code Connection: close}) and fresh-connection clients, each with a 10 ms think time (load shaping, not
 * synchronisation). Counts what succeeded and what failed, by kind, and the requests in flight at any instant.
 * A failure is anything a user would see: no answer, a reset, a timeout, a status other than 200.
 */
public final class HttpLoad implements AutoCloseable {
    private final int port;
    private final String path;
    private final int readTimeoutMillis;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final List<Long> failedSentAt = java.util.Collections.synchronizedList(new ArrayList<>());

    public HttpLoad(int port, String path, int keepAliveClients, int freshClients) {
        this(port, path, keepAliveClients, freshClients, java.time.Duration.ofSeconds(10));
    }

    /** As above; an answer slower than {@code readTimeout} counts as a failure ("timeout"). */
    public HttpLoad(int port, String path, int keepAliveClients, int freshClients, java.time.Duration readTimeout) {
        this.port = port;
        this.path = path;
        this.readTimeoutMillis = (int) readTimeout.toMillis();
        for (int i = 0; i < keepAliveClients; i++) {
            threads.add(Thread.ofVirtual().name("keep-alive-" + i).start(this::keepAliveClient));
        }
        for (int i = 0; i < freshClients; i++) {
            threads.add(Thread.ofVirtual().name("fresh-" + i).start(this::freshClient));
        }
    }

    private void keepAliveClient() {
        RawClient client = null;
        while (running.get()) {
            long sentAt = System.nanoTime();
            inFlight.incrementAndGet();
            try {
                if (client == null) {
                    client = new RawClient(port);
                    client.setReadTimeoutMillis(readTimeoutMillis);
                }
                RawResponse response = client.send("GET " + path + " HTTP/1.1\r\nHost: load\r\n\r\n").read();
                count(response, sentAt);
                if ("close".equalsIgnoreCase(response.header("Connection"))) {
                    client.close();
                    client = null;
                }
            } catch (IOException e) {
                fail(e, sentAt);
                client = closeQuietly(client);
            } finally {
                inFlight.decrementAndGet();
            }
            pause();
        }
        closeQuietly(client);
    }

    private void freshClient() {
        while (running.get()) {
            long sentAt = System.nanoTime();
            inFlight.incrementAndGet();
            try (var client = new RawClient(port)) {
                client.setReadTimeoutMillis(readTimeoutMillis);
                count(client.send("GET " + path + " HTTP/1.1\r\nHost: load\r\nConnection: close\r\n\r\n").read(),
                        sentAt);
            } catch (IOException e) {
                fail(e, sentAt);
            } finally {
                inFlight.decrementAndGet();
            }
            pause();
        }
    }

    private void count(RawResponse response, long sentAt) {
        if (response.status() == 200) {
            ok.incrementAndGet();
        } else {
            record(response.status() >= 500 ? "5xx" : "status " + response.status(), sentAt);
        }
    }

    private void fail(IOException e, long sentAt) {
        record(switch (e) {
            case SocketTimeoutException t -> "timeout";
            case SocketException s when String.valueOf(s.getMessage()).contains("reset") -> "reset";
            case SocketException s when String.valueOf(s.getMessage()).contains("refused") -> "refused";
            default -> "closed: " + e.getClass().getSimpleName();
        }, sentAt);
    }

    private void record(String kind, long sentAt) {
        failures.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        failedSentAt.add(sentAt);
    }

    private static RawClient closeQuietly(RawClient client) {
        if (client != null) {
            try {
                client.close();
            } catch (IOException ignored) {
                // already broken
            }
        }
        return null;
    }

    private void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    public int ok() {
        return ok.get();
    }

    public int failed() {
        return failures.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Failures by kind ("reset", "5xx", "timeout", ...). */
    public Map<String, Integer> failuresByKind() {
        var copy = new java.util.TreeMap<String, Integer>();
        failures.forEach((kind, n) -> copy.put(kind, n.get()));
        return copy;
    }

    /** When each failed request was sent (System.nanoTime). */
    public List<Long> failedSentAt() {
        synchronized (failedSentAt) {
            return List.copyOf(failedSentAt);
        }
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Waits until {@code more} further requests have succeeded (the load really runs), up to 30 s. */
    public void awaitProgress(int more) {
        int target = ok.get() + more;
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ok.get() >= target);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(20));
        }
    }
}
