package io.corral.chat;

import io.corral.app.App;
import io.corral.app.Routes;
import io.corral.chat.account.Accounts;
import io.corral.chat.account.Sessions;
import io.corral.chat.limit.ChatLimits;
import io.corral.chat.limit.Limit;
import io.corral.chat.message.EventLog;
import io.corral.chat.message.Mentions;
import io.corral.chat.message.Messages;
import io.corral.chat.message.Reactions;
import io.corral.chat.message.RoomChanges;
import io.corral.chat.message.Search;
import io.corral.chat.account.Profiles;
import io.corral.chat.attachment.Attachments;
import io.corral.chat.limit.RateHits;
import io.corral.chat.room.Rooms;
import io.corral.chat.store.Database;
import io.corral.chat.store.DatabaseSettings;
import io.corral.chat.store.Migrations;
import io.corral.chat.web.ApiRoutes;
import io.corral.chat.web.ChatSockets;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Corral Chat: accounts, rooms, a per-room message log, real-time delivery over {@code /ws} with resume, a web
 * client at {@code /}. Built on Corral's public app API alone. Its database comes from {@code DATABASE_URL}
 * (SQLite at ./data/chat.db when unset); see {@link DatabaseSettings}.
 */
public final class ChatApp implements App {
    private static final Logger log = LoggerFactory.getLogger(ChatApp.class);
    private static final Map<String, String> HEALTHY = Map.of("status", "healthy");
    static final String SESSION_LIFETIME = "CHAT_SESSION_LIFETIME";
    static final String SESSION_CHECK_INTERVAL = "CHAT_SESSION_CHECK_INTERVAL";
    static final String DM_MAX_MEMBERS = "CHAT_DM_MAX_MEMBERS";
    static final String FILES_DIR = "CHAT_FILES_DIR";
    static final String UPLOAD_MAX = "CHAT_UPLOAD_MAX";
    /**
     * The web client's own files only (its scripts, styles and socket), never a frame of another site's page, no
     * content-type guessing, no address of a chat page sent to other sites.
     */
    static final Map<String, String> CLIENT_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; "
                    + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY");

    private final Map<String, String> env;
    private Database database;
    private ChatSockets sockets;

    public ChatApp() {
        this(System.getenv());
    }

    /** With an explicit environment, for tests. */
    public ChatApp(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public void configure(Routes routes) {
        var limits = ChatLimits.fromEnvironment(env);  // a bad setting stops the worker here, with its name
        Duration lifetime = duration(SESSION_LIFETIME, "30d");
        Duration checkInterval = duration(SESSION_CHECK_INTERVAL, "30s");
        database = Database.open(DatabaseSettings.fromEnvironment(env));
        var sessions = new Sessions(database, lifetime);
        var accounts = new Accounts(database, env, sessions, limits, routes.broker());
        var rooms = new Rooms(database, routes.broker(), limits.rooms(), limits.direct(), directMax());
        var log = new EventLog(database, rooms, routes.broker(), limits.posts());
        var attachments = new Attachments(database, filesDirectory(), uploadMax(), limits.uploads(),
                new RateHits(limits));
        var messages = new Messages(database, rooms, log, new Mentions(routes.broker()), attachments);
        var features = new ApiRoutes.Features(new Reactions(log), new RoomChanges(log), new Search(database),
                new Profiles(database), attachments);
        // Liveness only: never touches the database, so a slow database cannot make the service look dead.
        routes.get("/health", request -> HEALTHY);
        new ApiRoutes(database, accounts, rooms, messages, features).declare(routes);
        sockets = new ChatSockets(accounts, rooms, messages, routes.broker(), routes.presence(), checkInterval);
        sockets.declare(routes);
        routes.classpathFiles("/", "public", CLIENT_HEADERS);
        // What a worker runs before it is ready (--worker-warm-up), and the AOT cache keeps: the engine, the web
        // client's files, the API's JSON and its refusal of a request without a session. None writes anything.
        routes.warmUp("/health").warmUp("/").warmUp("/js/app.js").warmUp("/api/rooms")
                .warmUp("/api/rooms/1/messages?after=0");
    }

    /**
     * {@code CHAT_FILES_DIR}: where attachments larger than a database row holds are kept; by default {@code files}
     * beside the SQLite file, or {@code ./data/files} (the service's state directory) with a server database. Made
     * at start: a directory that cannot be made or written stops the worker here, saying which and why.
     */
    private java.nio.file.Path filesDirectory() {
        var sqlite = database.settings().sqliteFile();
        var directory = java.nio.file.Path.of(env.getOrDefault(FILES_DIR, sqlite != null
                ? sqlite.resolveSibling("files").toString() : "./data/files")).toAbsolutePath();
        Database.createDirectory(directory, FILES_DIR);
        return directory;
    }

    /** {@code CHAT_UPLOAD_MAX}: the largest attachment, in bytes or with KiB / MiB (default 10MiB, at most 1GiB). */
    private long uploadMax() {
        String value = env.getOrDefault(UPLOAD_MAX, "10MiB").strip();
        var m = java.util.regex.Pattern.compile("(\\d{1,10})\\s*(KiB|MiB|GiB)?").matcher(value);
        if (m.matches()) {
            long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
                case "KiB" -> 1L << 10;
                case "MiB" -> 1L << 20;
                default -> 1L << 30;
            };
            long bytes = Long.parseLong(m.group(1)) * unit;
            if (bytes >= 1 && bytes <= 1L << 30) {
                return bytes;
            }
        }
        throw new IllegalArgumentException(UPLOAD_MAX + "=" + value + ": a size from 1 byte to 1GiB, as 10MiB");
    }

    /** {@code CHAT_DM_MAX_MEMBERS}: the most people in a direct conversation, its opener included (2 to 50). */
    private int directMax() {
        String value = env.getOrDefault(DM_MAX_MEMBERS, "8");
        try {
            int max = Integer.parseInt(value.strip());
            if (max >= 2 && max <= 50) {
                return max;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(DM_MAX_MEMBERS + "=" + value + ": a number from 2 to 50");
    }

    /**
     * {@code CHAT_SESSION_LIFETIME}: how long a session lives unused; {@code CHAT_SESSION_CHECK_INTERVAL}: how often
     * each worker checks its sockets' sessions and private feeds (the backstop of the broker's revocations).
     */
    private Duration duration(String name, String fallback) {
        String value = env.getOrDefault(name, fallback);
        try {
            return Limit.duration(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + "=" + value + ": " + e.getMessage(), e);
        }
    }

    /**
     * An embedded SQLite database migrates itself (first start creates it); a server database must already be
     * at this release's schema, or the worker refuses to start with what to do.
     */
    @Override
    public void start() throws Exception {
        var migrations = new Migrations(database);
        if (migrations.isCurrent()) {
            return;
        }
        if (database.settings().isSqlite()) {
            int ran = migrations.migrate();
            if (ran > 0) {
                log.info("Chat database {}: applied {} migration(s)", database.settings().redactedUrl(), ran);
            }
        }
        migrations.requireCurrent();
    }

    @Override
    public void stop() {
        if (sockets != null) {
            sockets.stop();  // first: a sweep after this would find the database closed
        }
        database.close();
    }
}
