package io.corral.chat.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the chat's data lives, from the environment as twelve-factor apps read it: {@code DATABASE_URL} (Corral's
 * {@code --database-url} sets it for the workers; default {@code jdbc:sqlite:./data/chat.db}), {@code DATABASE_USER},
 * and {@code DATABASE_PASSWORD} or, better, {@code DATABASE_PASSWORD_FILE} (a file readable by the service user
 * alone): a password never appears in a process list.
 */
public record DatabaseSettings(String url, String user, String password) {
    public static final String DEFAULT_URL = "jdbc:sqlite:./data/chat.db";

    public static DatabaseSettings fromEnvironment(Map<String, String> env) {
        String url = env.getOrDefault("DATABASE_URL", DEFAULT_URL);
        String password = env.get("DATABASE_PASSWORD");
        String file = env.get("DATABASE_PASSWORD_FILE");
        if (file != null) {
            try {
                password = Files.readString(Path.of(file)).strip();
            } catch (IOException e) {
                throw new IllegalStateException("DATABASE_PASSWORD_FILE=" + file + ": cannot read it ("
                        + e.getMessage() + ")", e);
            }
        }
        return new DatabaseSettings(url, env.get("DATABASE_USER"), password);
    }

    public boolean isSqlite() {
        return url.startsWith("jdbc:sqlite:");
    }

    /** The SQLite database's file, absolute; null for a server database. */
    public java.nio.file.Path sqliteFile() {
        if (!isSqlite()) {
            return null;
        }
        String file = url.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        return java.nio.file.Path.of(query >= 0 ? file.substring(0, query) : file).toAbsolutePath();
    }

    /** The URL for log lines: no password even if someone put one in it. */
    public String redactedUrl() {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
