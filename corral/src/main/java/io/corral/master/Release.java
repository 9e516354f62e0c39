package io.corral.master;

import io.corral.logging.FileErrors;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The code one generation of workers runs: the workers' classpath resolved when the generation began (symlinks
 * followed, {@code dir/*} expanded to its jars, as the JVM would), so an install symlink switched with
 * {@code ln -sfn} and a HUP starts the new release, while every worker of the old generation, replacements included,
 * keeps the one it proved. The master holds every jar open for as long as the generation lives: when a jar's path no
 * longer leads to the file it pinned (the release directory was deleted or replaced), a worker boots from a copy the
 * master makes from its open descriptor, so cleaning up a release never stops the workers that still run it. Master
 * loop only.
 */
public final class Release implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Release.class);

    /** One classpath entry: a jar pinned by an open descriptor, or a directory, which cannot be pinned. */
    private record Entry(Path path, FileChannel pin, Object fileKey, long size) {
        boolean pinned() {
            return pin != null;
        }
    }

    private final String description;
    private final List<Entry> entries;
    private final Path aotCache;
    private final Path restoreDir;
    private final Share share;
    /** Paths of the copies made once the release's own files were gone; same order as {@link #entries}. */
    private List<Path> restored;

    /** Gives a file the master creates to the workers' user (--user), who must read it. */
    interface Share {
        void with(Path path) throws IOException;
    }

    private Release(String description, List<Entry> entries, Path aotCache, Path restoreDir, Share share) {
        this.description = description;
        this.entries = entries;
        this.aotCache = aotCache;
        this.restoreDir = restoreDir;
        this.share = share;
    }

    /**
     * Resolves {@code classpath} ({@link #entriesOf}) and pins its jars, and the AOT cache file, if there is one.
     * {@code restoreDir} is where copies go if the release's files disappear (created only then).
     */
    static Release resolve(String classpath, String aotCache, Path base, Path restoreDir, Share share)
            throws IOException {
        var entries = new ArrayList<Entry>();
        try {
            for (Path path : entriesOf(classpath, base)) {
                entries.add(Files.isDirectory(path) ? new Entry(path, null, null, 0) : pin(path));
            }
        } catch (IOException e) {
            entries.forEach(Release::unpin);
            throw new IOException("cannot read the workers' classpath " + classpath + ": " + FileErrors.why(e), e);
        }
        Path cache = null;
        if (aotCache != null && Files.isRegularFile(base.resolve(aotCache))) {
            cache = base.resolve(aotCache).toRealPath();
        }
        return new Release(describe(classpath, entries), List.copyOf(entries), cache, restoreDir, share);
    }

    /**
     * The real paths a classpath names, as the JVM would read it: entries separated by ':', relative ones against
     * {@code base}, {@code dir/*} the directory's .jar and .JAR files (not its subdirectories; sorted, for a stable
     * order), symlinks followed. A missing entry is an error: a release without its jar cannot be proved.
     */
    public static List<Path> entriesOf(String classpath, Path base) throws IOException {
        var paths = new ArrayList<Path>();
        for (String raw : classpath.split(":")) {
            if (raw.isEmpty()) {
                continue;
            }
            if (raw.equals("*") || raw.endsWith("/*")) {
                Path dir = base.resolve(raw.substring(0, raw.length() - 1)).toRealPath();
                var jars = new ArrayList<Path>();
                try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
                    for (Path file : listing) {
                        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
                        if (name.endsWith(".jar") && Files.isRegularFile(file)) {
                            jars.add(file.toRealPath());
                        }
                    }
                }
                jars.sort(null);
                paths.addAll(jars);
            } else {
                paths.add(base.resolve(raw).toRealPath());
            }
        }
        return paths;
    }

    private static Entry pin(Path jar) throws IOException {
        FileChannel channel = FileChannel.open(jar, StandardOpenOption.READ);
        BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
        return new Entry(jar, channel, attributes.fileKey(), attributes.size());
    }

    private static String describe(String classpath, List<Entry> entries) {
        long jars = entries.stream().filter(Entry::pinned).count();
        String where = entries.isEmpty() ? classpath : entries.getFirst().path().getParent().toString();
        return where + " (" + jars + (jars == 1 ? " jar" : " jars") + ")";
    }

    /**
     * The {@code -cp} value for a worker starting now: the release's own paths while they still hold the pinned
     * files, else copies made from the pins (once per release).
     */
    String classpathForLaunch() throws IOException {
        if (restored == null && entries.stream().anyMatch(e -> e.pinned() && !stillThere(e))) {
            restored = restore();
        }
        List<Path> paths = restored != null ? restored : entries.stream().map(Entry::path).toList();
        return paths.stream().map(Path::toString).collect(Collectors.joining(":"));
    }

    /** The AOT cache the generation began with, while its file exists. */
    Path aotCache() {
        return aotCache != null && Files.isRegularFile(aotCache) ? aotCache : null;
    }

    /** Whether {@code path} is on this release's classpath as resolved (for tests and logs). */
    boolean contains(Path path) {
        return entries.stream().anyMatch(e -> e.path().equals(path));
    }

    private static boolean stillThere(Entry entry) {
        try {
            BasicFileAttributes now = Files.readAttributes(entry.path(), BasicFileAttributes.class);
            return Objects.equals(now.fileKey(), entry.fileKey()) && now.size() == entry.size();
        } catch (IOException gone) {
            return false;
        }
    }

    private List<Path> restore() throws IOException {
        Path dir = Files.createDirectories(restoreDir);
        share.with(dir);
        var paths = new ArrayList<Path>();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            if (!entry.pinned()) {
                paths.add(entry.path());  // a directory: nothing to copy from
                continue;
            }
            Path copy = dir.resolve(i + "-" + entry.path().getFileName());
            try (FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long done = 0;
                while (done < entry.size()) {
                    done += entry.pin().transferTo(done, entry.size() - done, out);
                }
            }
            share.with(copy);
            paths.add(copy);
        }
        log.warn("The release {} was deleted or replaced while workers still run it: new workers of it start "
                + "from the master's copy in {}", description, dir);
        return paths;
    }

    @Override
    public void close() {
        entries.forEach(Release::unpin);
    }

    private static void unpin(Entry entry) {
        if (entry.pinned()) {
            try {
                entry.pin().close();
            } catch (IOException ignored) {
                // a read-only descriptor: nothing to lose
            }
        }
    }

    /** "/opt/corral-chat-releases/corral-chat-0.2.0/lib (31 jars)": how the logs name a release. */
    @Override
    public String toString() {
        return description;
    }
}
