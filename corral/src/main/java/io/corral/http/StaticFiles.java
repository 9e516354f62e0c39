package io.corral.http;

import io.corral.app.Handler;
import io.corral.app.HttpError;
import io.corral.app.Request;
import io.corral.app.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves files under a mount (a directory, or a classpath root) with {@code ETag}, {@code Last-Modified} and 304s.
 * Runs on the handler's virtual thread, so reading a file may block. The relative path is checked segment by
 * segment: {@code .}, {@code ..}, empty and backslash-bearing segments are refused, so no path escapes the root.
 */
final class StaticFiles implements Handler {

    /** A file found under the mount. */
    record Resource(String name, byte[] bytes, long lastModifiedMillis, String etag) {
    }

    @FunctionalInterface
    interface Source {
        Optional<Resource> find(String relativePath) throws IOException;
    }

    private final Source source;

    private StaticFiles(Source source) {
        this.source = source;
    }

    static StaticFiles fromDirectory(Path directory) {
        Path root = directory.toAbsolutePath().normalize();
        return new StaticFiles(relative -> {
            Path file = root.resolve(relative).normalize();
            if (Files.isDirectory(file)) {
                file = file.resolve("index.html");
            }
            // Real paths, so a symlink inside the root cannot lead out of it.
            if (!file.startsWith(root) || !Files.isRegularFile(file)
                    || !file.toRealPath().startsWith(root.toRealPath())) {
                return Optional.empty();
            }
            long modified = Files.getLastModifiedTime(file).toMillis();
            byte[] bytes = Files.readAllBytes(file);
            String etag = "W/\"" + Long.toHexString(bytes.length) + "-" + Long.toHexString(modified) + "\"";
            return Optional.of(new Resource(file.getFileName().toString(), bytes, modified, etag));
        });
    }

    static StaticFiles fromClasspath(String root, ClassLoader loader) {
        String base = root.replaceAll("^/+|/+$", "");
        // Jar contents do not change while the worker runs, so each resource is read and hashed once.
        Map<String, Optional<Resource>> cache = new ConcurrentHashMap<>();
        return new StaticFiles(relative -> {
            String name = relative.isEmpty() || relative.endsWith("/") ? relative + "index.html" : relative;
            Optional<Resource> cached = cache.get(name);
            if (cached == null) {
                cached = loadResource(loader, base + "/" + name);
                if (cached.isPresent()) {
                    cache.put(name, cached); // hits only: misses are unbounded, the jar's files are not
                }
            }
            return cached;
        });
    }

    private static Optional<Resource> loadResource(ClassLoader loader, String name) throws IOException {
        URL url = loader.getResource(name);
        if (url == null) {
            return Optional.empty();
        }
        URLConnection connection = url.openConnection();
        byte[] bytes;
        try (InputStream in = connection.getInputStream()) {
            bytes = in.readAllBytes();
        }
        String etag = "\"" + sha256Prefix(bytes) + "\"";
        return Optional.of(new Resource(name.substring(name.lastIndexOf('/') + 1), bytes,
                connection.getLastModified(), etag));
    }

    private static String sha256Prefix(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    @Override
    public Object handle(Request request) throws IOException {
        String relative = request.pathParam("*");
        for (String segment : relative.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..") || segment.contains("\\") || segment.indexOf(0) >= 0) {
                throw new HttpError(404, "not found");
            }
        }
        Resource resource = source.find(relative).orElseThrow(() -> new HttpError(404, "not found"));
        String lastModified = resource.lastModifiedMillis() > 0 ? HttpDate.format(resource.lastModifiedMillis() / 1000)
                : null;
        if (notModified(request, resource)) {
            return withValidators(Response.empty(304), resource, lastModified);
        }
        var response = Response.bytes(200, ContentTypes.forName(resource.name()), resource.bytes());
        return withValidators(response, resource, lastModified).header("Cache-Control", "no-cache");
    }

    private static Response withValidators(Response response, Resource resource, String lastModified) {
        response.header("ETag", resource.etag());
        if (lastModified != null) {
            response.header("Last-Modified", lastModified);
        }
        return response;
    }

    /** RFC 9110 §13.2.2: If-None-Match decides when present; If-Modified-Since only without it. */
    private static boolean notModified(Request request, Resource resource) {
        Optional<String> ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch.isPresent()) {
            String weak = resource.etag().startsWith("W/") ? resource.etag().substring(2) : resource.etag();
            for (String tag : ifNoneMatch.get().split(",")) {
                String t = tag.strip();
                if (t.equals("*") || t.equals(resource.etag()) || t.equals(weak) || t.equals("W/" + weak)) {
                    return true;
                }
            }
            return false;
        }
        Optional<String> ifModifiedSince = request.header("If-Modified-Since");
        if (ifModifiedSince.isEmpty() || resource.lastModifiedMillis() <= 0) {
            return false;
        }
        try {
            long since = ZonedDateTime.parse(ifModifiedSince.get(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toEpochSecond();
            return resource.lastModifiedMillis() / 1000 <= since;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
