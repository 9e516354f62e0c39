package io.corral.master;

import java.util.ArrayList;
import java.util.List;

/**
 * Every release a worker may still run, each holding its jars open ({@link Release}); one is closed once no worker
 * runs it and the master will not go back to it. Master loop only.
 */
final class OpenReleases {
    private final List<Release> open = new ArrayList<>();

    Release add(Release release) {
        open.add(release);
        return release;
    }

    /** Closes the releases other than {@code current} and {@code previous} that no worker in {@code workers} runs. */
    void closeUnused(Release current, Release previous, Workers workers) {
        open.removeIf(r -> {
            boolean unused = r != current && r != previous && workers.where(h -> h.release == r).isEmpty();
            if (unused) {
                r.close();
            }
            return unused;
        });
    }
}
