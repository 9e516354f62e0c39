package io.corral.app;

import java.nio.file.Path;

/**
 * The route table an {@link App} fills in {@link App#configure}. Paths are literal segments and
 * {@code {name}} parameters ({@code /api/rooms/{id}/messages}); a parameter matches exactly one segment.
 * A {@code GET} route answers {@code HEAD} as well. An unknown path gets 404, a known path with another
 * method 405 with an {@code Allow} header.
 */
public interface Routes {

    Routes get(String path, Handler handler);

    Routes post(String path, Handler handler);

    Routes put(String path, Handler handler);

    Routes patch(String path, Handler handler);

    Routes delete(String path, Handler handler);

    /**
     * Serves the files under {@code directory} at {@code urlPrefix} (GET and HEAD), with content types,
     * {@code ETag} and {@code Last-Modified}, answering conditional requests with 304. A directory
     * serves its {@code index.html}. Nothing outside {@code directory} is ever served.
     */
    Routes staticFiles(String urlPrefix, Path directory);

    /** As {@link #staticFiles}, for resources under {@code classpathRoot} (e.g. {@code "public"}) in the app's jar. */
    Routes classpathFiles(String urlPrefix, String classpathRoot);
}
