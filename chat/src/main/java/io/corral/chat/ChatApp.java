package io.corral.chat;

import io.corral.app.App;
import io.corral.app.Routes;
import java.util.Map;

/**
 * Corral Chat. For now only its liveness route: accounts, rooms and real-time delivery arrive with the chat issue,
 * on this same class, so the README's run command will not change.
 */
public final class ChatApp implements App {
    private static final Map<String, String> HEALTHY = Map.of("status", "healthy");

    @Override
    public void configure(Routes routes) {
        // Liveness only: never touches the database, so a slow database cannot make the service look dead.
        routes.get("/health", request -> HEALTHY);
    }
}
