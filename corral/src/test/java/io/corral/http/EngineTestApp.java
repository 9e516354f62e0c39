package io.corral.http;

import io.corral.app.App;
import io.corral.app.Handler;
import io.corral.app.HttpError;
import io.corral.app.InvalidInput;
import io.corral.app.Response;
import io.corral.app.Routes;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** The app the engine tests serve: one route per behaviour under test. */
public final class EngineTestApp implements App {
    /** Counted down when a {@code /wait} handler has started blocking. */
    public final CountDownLatch waiting = new CountDownLatch(1);
    /** Released by a test to let {@code /wait} return. */
    public final CountDownLatch release = new CountDownLatch(1);
    /** Calls of {@code /hit/{name}}: proof that a (smuggled) request did or did not reach a handler. */
    public final java.util.concurrent.ConcurrentHashMap<String, Integer> hits =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** A value Jackson cannot write: its accessor throws. */
    public record Exploding(String value) {
        @Override
        public String value() {
            throw new IllegalStateException("cannot be rendered");
        }
    }

    record Note(String text, int priority) {
        Note {
            if (text == null) {
                throw InvalidInput.field("text", "Field required", "missing");
            }
        }
    }

    /** How the last {@code /upload} ended: "ok N", or the exception its read threw. */
    public final java.util.concurrent.BlockingQueue<String> uploads = new java.util.concurrent.LinkedBlockingQueue<>();
    /** The most bytes an {@code /upload} handler had read at once before the client sent more: see StreamedUploadIT. */
    public static final int UPLOAD_LIMIT = 1 << 20;

    @Override
    public void configure(Routes routes) {
        routes.post("/upload", Handler.streamed(UPLOAD_LIMIT, request -> {
            var digest = java.security.MessageDigest.getInstance("SHA-256");
            long total = 0;
            byte[] buffer = new byte[8192];
            try (var in = request.bodyStream()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                    total += n;
                }
            } catch (java.io.IOException | RuntimeException e) {
                uploads.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                throw e;
            }
            uploads.add("ok " + total);
            return Map.of("bytes", total, "sha256", java.util.HexFormat.of().formatHex(digest.digest()));
        }));
        routes.put("/upload/refused", Handler.streamed(UPLOAD_LIMIT, request -> {
            throw new HttpError(403, "not yours");  // answered before reading a byte of the body
        }));
        routes.get("/health", request -> Map.of("status", "healthy"))
                .post("/echo", request -> Response.bytes(200, "application/octet-stream", request.body()))
                .get("/slow", request -> {
                    Thread.sleep(1000);
                    return Map.of("slept", 1000);
                })
                .get("/wait", request -> {
                    waiting.countDown();
                    release.await();
                    return Map.of("released", true);
                })
                .get("/boom", request -> {
                    throw new IllegalStateException("secret detail that must not reach a client");
                })
                .get("/conflict", request -> {
                    throw new HttpError(409, "already exists");
                })
                .post("/notes", request -> Response.json(201, request.bodyAs(Note.class)))
                .get("/items/{id}", request -> Map.of("id", request.pathParam("id"),
                        "sort", request.queryParam("sort").orElse("none"),
                        "tags", request.queryParams("tag")))
                .get("/client", request -> Map.of("address", request.clientAddress()))
                .get("/thread", request -> Map.of("virtual", Thread.currentThread().isVirtual()))
                .get("/loop/thread", Handler.nonBlocking(request -> Map.of(
                        "virtual", Thread.currentThread().isVirtual(), "name", Thread.currentThread().getName())))
                .get("/loop/items/{id}", Handler.nonBlocking(request -> Map.of("id", request.pathParam("id"))))
                .get("/loop/boom", Handler.nonBlocking(request -> {
                    throw new IllegalStateException("secret detail that must not reach a client");
                }))
                .get("/loop/blob/{mb}", Handler.nonBlocking(request -> Response.stream("application/octet-stream",
                        out -> {
                            byte[] chunk = new byte[64 * 1024];
                            for (int i = 0; i < Integer.parseInt(request.pathParam("mb")) * 16; i++) {
                                out.write(chunk);
                            }
                        })))
                .get("/hit/{name}", request -> hits.merge(request.pathParam("name"), 1, Integer::sum))
                .post("/hit/{name}", request -> hits.merge(request.pathParam("name"), 1, Integer::sum))
                .get("/unrenderable-error", request -> {
                    // An error whose own rendering fails: writing its location throws.
                    throw new InvalidInput(java.util.List.of(
                            new InvalidInput.FieldError(java.util.List.of(new Exploding("x")), "m", "t")));
                })
                .get("/nothing", request -> null)
                .get("/count/{n}", request -> Response.stream("text/plain; charset=utf-8", out -> {
                    int n = Integer.parseInt(request.pathParam("n"));
                    for (int i = 1; i <= n; i++) {
                        out.write((i + "\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                }))
                // 64 KiB chunks: fills any socket buffer in milliseconds, however loaded the machine is.
                .get("/blob/{mb}", request -> Response.stream("application/octet-stream", out -> {
                    byte[] chunk = new byte[64 * 1024];
                    for (int i = 0; i < Integer.parseInt(request.pathParam("mb")) * 16; i++) {
                        out.write(chunk);
                        out.flush();
                    }
                }));
    }
}
