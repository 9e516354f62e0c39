package io.corral.chat;

import io.corral.app.App;
import io.corral.app.Routes;
import io.corral.chat.account.Accounts;
import io.corral.chat.message.Messages;
import io.corral.chat.room.Rooms;
import io.corral.chat.store.Database;
import io.corral.chat.store.DatabaseSettings;
import io.corral.chat.store.Migrations;
import io.corral.chat.web.ApiRoutes;
import io.corral.chat.web.ChatSockets;
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

    private final Map<String, String> env;
    private Database database;

    public ChatApp() {
        this(System.getenv());
    }

    /** With an explicit environment, for tests. */
    public ChatApp(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public void configure(Routes routes) {
        database = Database.open(DatabaseSettings.fromEnvironment(env));
        var accounts = new Accounts(database, env);
        var rooms = new Rooms(database);
        var messages = new Messages(database, rooms, routes.broker());
        // Liveness only: never touches the database, so a slow database cannot make the service look dead.
        routes.get("/health", request -> HEALTHY);
        new ApiRoutes(database, accounts, rooms, messages).declare(routes);
        new ChatSockets(accounts, rooms, messages, routes.broker(), routes.presence()).declare(routes);
        routes.classpathFiles("/", "public");
    }

    /**
     * An embedded SQLite database migrates itself (first start creates it); a server database must already be
     * at this release's schema, or the worker refuses to start with what to do.
     */
    @Override
    public void start() throws Exception {
        var migrations = new Migrations(database);
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
        database.close();
    }
}
