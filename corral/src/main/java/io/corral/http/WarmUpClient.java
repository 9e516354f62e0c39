package io.corral.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's own client for its warm-up requests: one connection per request, {@code Connection: close}, read to
 * the end, so it needs to understand nothing of the answer but its status line. Plain sockets: an HTTP client
 * library would load (and an AOT cache would keep) classes that no worker needs to serve.
 */
final class WarmUpClient {
    private static final Logger log = LoggerFactory.getLogger(WarmUpClient.class);
    /** A warm-up that takes this long is stuck; the worker goes on without the rest. */
    private static final int TIMEOUT_MS = 10_000;

    private final InetSocketAddress server;

    WarmUpClient(InetSocketAddress server) {
        this.server = server;
    }

    /**
     * Sends each path {@code rounds} times, round by round, until {@code deadline} ({@link System#nanoTime});
     * returns how many were answered.
     */
    int run(List<String> paths, int rounds, long deadline) {
        int answered = 0;
        for (int round = 0; round < rounds; round++) {
            if (System.nanoTime() - deadline > 0) {
                log.info("Warm-up cut short after {} of {} rounds: it took longer than its share of --timeout",
                        round, rounds);
                return answered;
            }
            for (String path : paths) {
                try {
                    answered += get(path) ? 1 : 0;
                } catch (IOException e) {
                    log.warn("Warm-up stopped at GET {}: {}", path, e.toString());
                    return answered;
                }
            }
        }
        return answered;
    }

    private boolean get(String path) throws IOException {
        try (var socket = new Socket()) {
            socket.connect(server, TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: corral-warm-up\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(9);
            in.transferTo(OutputStream.nullOutputStream());
            return new String(head, StandardCharsets.US_ASCII).equals("HTTP/1.1 ");
        }
    }
}
