package io.corral.chat.account;

import io.corral.app.HttpError;
import io.corral.app.InvalidInput;
import io.corral.app.Request;
import io.corral.chat.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Registration, login, logout and who a bearer token belongs to. Handlers call it on virtual threads; password
 * hashing (about a third of a second, on purpose) happens outside any transaction.
 */
public final class Accounts {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,32}");
    private static final int MIN_PASSWORD = 8;
    private static final int MAX_PASSWORD = 128;

    private final Database database;
    private final Passwords passwords;
    private final LoginLimiter perAccount = new LoginLimiter(5, 60);
    private final LoginLimiter perAddress = new LoginLimiter(20, 60);

    public Accounts(Database database, Map<String, String> env) {
        this.database = database;
        this.passwords = Passwords.fromEnvironment(env);
    }

    public record Credentials(String username, String password) {
    }

    /** A new account; 422 on invalid fields, 409 when the name is taken. */
    public User register(Credentials credentials) throws SQLException {
        validate(credentials);
        String hash = passwords.hash(credentials.password());
        return database.transaction(c -> {
            try (PreparedStatement taken = c.prepareStatement("SELECT 1 FROM users WHERE username = ?")) {
                taken.setString(1, credentials.username());
                if (taken.executeQuery().next()) {
                    throw new HttpError(409, "username already taken");
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO users (username, password_hash, created_at) VALUES (?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                insert.setString(1, credentials.username());
                insert.setString(2, hash);
                insert.setLong(3, System.currentTimeMillis());
                insert.executeUpdate();
                ResultSet keys = insert.getGeneratedKeys();
                keys.next();
                return new User(keys.getLong(1), credentials.username());
            }
        });
    }

    private static void validate(Credentials credentials) {
        var errors = new ArrayList<InvalidInput.FieldError>();
        if (credentials.username() == null || !USERNAME.matcher(credentials.username()).matches()) {
            errors.add(new InvalidInput.FieldError(List.of("body", "username"),
                    "3 to 32 letters, digits, '_', '.' or '-'", "value_error.username"));
        }
        String password = credentials.password();
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            errors.add(new InvalidInput.FieldError(List.of("body", "password"),
                    MIN_PASSWORD + " to " + MAX_PASSWORD + " characters", "value_error.password"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
    }

    /** A signed-in session: its bearer token and whose it is. */
    public record Session(String token, User user) {
    }

    /** A session for good credentials; 401 otherwise, 429 after too many failures. */
    public Session login(Credentials credentials, String address) throws SQLException {
        String username = String.valueOf(credentials.username());
        long wait = Math.max(perAccount.retryAfterSeconds(username), perAddress.retryAfterSeconds(address));
        if (wait > 0) {
            throw new HttpError(429, "too many failed logins; try again later")
                    .header("Retry-After", Long.toString(wait));
        }
        var row = database.read(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT id, password_hash, username FROM users WHERE username = ?")) {
                select.setString(1, username);
                ResultSet rs = select.executeQuery();
                return rs.next() ? Map.entry(new User(rs.getLong(1), rs.getString(3)), rs.getString(2)) : null;
            }
        });
        if (row == null || credentials.password() == null || !passwords.matches(credentials.password(),
                row.getValue())) {
            perAccount.failed(username);
            perAddress.failed(address);
            throw new HttpError(401, "wrong username or password");
        }
        perAccount.succeeded(username);
        String token = Tokens.newToken();
        long userId = row.getKey().id();
        database.transaction(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)")) {
                insert.setString(1, Tokens.hash(token));
                insert.setLong(2, userId);
                insert.setLong(3, System.currentTimeMillis());
                return insert.executeUpdate();
            }
        });
        return new Session(token, row.getKey());
    }

    /** Revokes {@code token}. */
    public void logout(String token) throws SQLException {
        database.transaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM tokens WHERE token_hash = ?")) {
                delete.setString(1, Tokens.hash(token));
                return delete.executeUpdate();
            }
        });
    }

    /** The user a token belongs to, if it is valid. */
    public Optional<User> userFor(String token) throws SQLException {
        return database.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT u.id, u.username FROM tokens t "
                    + "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?")) {
                select.setString(1, Tokens.hash(token));
                ResultSet rs = select.executeQuery();
                return rs.next() ? Optional.of(new User(rs.getLong(1), rs.getString(2))) : Optional.empty();
            }
        });
    }

    /** The bearer token of a request, or 401. */
    public static String bearer(Request request) {
        String header = request.header("Authorization").orElse("");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            throw unauthorized();
        }
        return header.substring(7).strip();
    }

    /** The signed-in user of a request, or 401. */
    public User authenticate(Request request) throws SQLException {
        return userFor(bearer(request)).orElseThrow(Accounts::unauthorized);
    }

    static HttpError unauthorized() {
        return new HttpError(401, "sign in first").header("WWW-Authenticate", "Bearer");
    }
}
