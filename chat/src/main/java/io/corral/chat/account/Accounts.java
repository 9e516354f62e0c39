package io.corral.chat.account;

import io.corral.app.Broker;
import io.corral.app.HttpError;
import io.corral.app.InvalidInput;
import io.corral.app.Request;
import io.corral.chat.limit.AddressKey;
import io.corral.chat.limit.ChatLimits;
import io.corral.chat.limit.RateHits;
import io.corral.chat.limit.TooMany;
import io.corral.chat.store.Database;
import io.corral.chat.text.TextField;
import io.corral.chat.text.Usernames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registration, login, sessions, password changes and account removal. Handlers call it on virtual threads;
 * password hashing (about a third of a second, on purpose) happens outside any transaction. Every limit is counted
 * in the database ({@link RateHits}), so it holds across workers and hosts; every revocation is told on the broker
 * ({@link AccessChange}), so the user's open sockets close wherever they are.
 */
public final class Accounts {
    private static final int MIN_PASSWORD = 8;
    private static final int MAX_PASSWORD = 128;
    private static final long SWEEP_MILLIS = 3_600_000L;

    private final Database database;
    private final Passwords passwords;
    private final Sessions sessions;
    private final ChatLimits limits;
    private final Broker broker;
    private final RateHits hits;
    private volatile long lastSweep;

    public Accounts(Database database, Map<String, String> env, Sessions sessions, ChatLimits limits, Broker broker) {
        this.database = database;
        this.passwords = Passwords.fromEnvironment(env);
        this.sessions = sessions;
        this.limits = limits;
        this.broker = broker;
        this.hits = new RateHits(limits);
    }

    public Sessions sessions() {
        return sessions;
    }

    Passwords passwords() {
        return passwords;
    }

    /** A registration: the name is NFKC-normalized, the password 8 to 128 characters (code points). */
    public record NewAccount(String username, String password) {
        public NewAccount {
            var errors = new ArrayList<InvalidInput.FieldError>();
            try {
                username = Usernames.normalized("username", username);
            } catch (InvalidInput e) {
                errors.addAll(e.errors());
            }
            if (!validPassword(password)) {
                errors.add(new InvalidInput.FieldError(List.of("password"),
                        MIN_PASSWORD + " to " + MAX_PASSWORD + " characters", "value_error.password"));
            }
            if (!errors.isEmpty()) {
                throw new InvalidInput(errors);
            }
        }
    }

    public record Credentials(String username, String password) {
    }

    public record PasswordChange(String currentPassword, String newPassword) {
        public PasswordChange {
            if (!validPassword(newPassword)) {
                throw InvalidInput.field("newPassword", MIN_PASSWORD + " to " + MAX_PASSWORD + " characters",
                        "value_error.password");
            }
        }
    }

    public record Confirmation(String password) {
    }

    private static boolean validPassword(String password) {
        if (password == null || !TextField.isWellFormed(password)) {
            return false;  // UTF-8 would hash a lone surrogate as '?': two passwords, one hash
        }
        int length = password.codePointCount(0, password.length());
        return length >= MIN_PASSWORD && length <= MAX_PASSWORD;
    }

    /** A new account; 422 on invalid fields, 409 when the name (case and width aside) is taken, 429 too many. */
    public User register(NewAccount account, String address) throws SQLException {
        long now = System.currentTimeMillis();
        TooMany.refuseIf(hits.attempt(database, List.of(new RateHits.Hit(RateHits.bucket("register",
                AddressKey.of(address)), limits.registrations())), now),
                "too many accounts created from your address; try again later");
        String hash = passwords.hash(account.password());
        String key = Usernames.key(account.username());
        try {
            return database.transaction(c -> {
                try (PreparedStatement taken = c.prepareStatement("SELECT 1 FROM users WHERE username_key = ?")) {
                    taken.setString(1, key);
                    if (taken.executeQuery().next()) {
                        throw new HttpError(409, "username already taken");
                    }
                }
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO users (username, username_key, "
                        + "password_hash, created_at) VALUES (?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                    insert.setString(1, account.username());
                    insert.setString(2, key);
                    insert.setString(3, hash);
                    insert.setLong(4, now);
                    insert.executeUpdate();
                    ResultSet keys = insert.getGeneratedKeys();
                    keys.next();
                    return new User(keys.getLong(1), account.username());
                }
            });
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                throw new HttpError(409, "username already taken");  // the same name, registered meanwhile
            }
            throw e;
        }
    }

    /** A signed-in session: its bearer token and whose it is. */
    public record Session(String token, User user) {
    }

    private record Account(User user, String passwordHash) {
    }

    /**
     * A session for good credentials; 401 otherwise (in the same time whether or not the name exists), 429 after
     * too many failures from the caller's address, or for this account from it. A name that cannot be an account's
     * (spaces, controls, too long) is an unknown one: it is never looked up (MariaDB's collations ignore trailing
     * spaces) and counts under one key, so variants of a name do not each get a fresh count.
     */
    public Session login(Credentials credentials, String address, String agent) throws SQLException {
        String name = loginName(credentials.username());
        String key = name == null ? "" : Usernames.key(name);
        String from = AddressKey.of(address);
        String byAddress = RateHits.bucket("login", from);
        String byAccount = RateHits.bucket("login-account", key + "|" + from);
        long now = System.currentTimeMillis();
        TooMany.refuseIf(hits.attempt(database, List.of(new RateHits.Hit(byAddress, limits.loginPerAddress()),
                new RateHits.Hit(byAccount, limits.loginPerAccountAddress())), now),
                "too many failed logins; try again later");
        Account account = name == null ? null : database.read(c -> find(c, name, key));
        String password = credentials.password() == null ? "" : credentials.password();
        boolean good = account == null || !account.passwordHash().startsWith("$")  // "!": a removed account
                ? passwords.matchesNothing(password) : passwords.matches(password, account.passwordHash());
        if (!good || credentials.password() == null) {
            throw new HttpError(401, "wrong username or password");  // the attempt stays counted
        }
        String token = database.transaction(c -> {
            // The password checked above is still the account's: a change or a removal committed meanwhile (while
            // we hashed) would otherwise leave this session alive after revoking the others. On MariaDB the row is
            // locked, so a change that comes after this waits, then revokes this session with the rest.
            try (PreparedStatement current = c.prepareStatement("SELECT password_hash FROM users WHERE id = ?"
                    + (database.settings().isSqlite() ? "" : " FOR UPDATE"))) {
                current.setLong(1, account.user().id());
                ResultSet rs = current.executeQuery();
                if (!rs.next() || !rs.getString(1).equals(account.passwordHash())) {
                    throw new HttpError(401, "wrong username or password");
                }
            }
            hits.clear(c, byAccount);
            hits.forget(c, byAddress, now);
            if (now - lastSweep > SWEEP_MILLIS) {
                lastSweep = now;
                sessions.sweepExpired(c, now);
            }
            return sessions.create(c, account.user().id(), agent, now);
        });
        return new Session(token, account.user());
    }

    private static String loginName(String raw) {
        try {
            return Usernames.normalized("username", raw);
        } catch (InvalidInput e) {
            return null;
        }
    }

    /** By key; an account made before names were folded, under a taken key, is still found by its exact name. */
    private static Account find(Connection c, String name, String key) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT id, username, password_hash FROM users "
                + "WHERE username_key = ? OR username = ? ORDER BY CASE WHEN username = ? THEN 0 ELSE 1 END LIMIT 1")) {
            select.setString(1, key);
            select.setString(2, name);
            select.setString(3, name);
            ResultSet rs = select.executeQuery();
            return rs.next() ? new Account(new User(rs.getLong(1), rs.getString(2)), rs.getString(3)) : null;
        }
    }

    /** Ends the caller's session (its sockets close too). */
    public void logout(SignedIn who) throws SQLException {
        revoke(who, who.session(), null, "signed out");
    }

    /** Ends one of the caller's sessions by id; 404 when there is none. */
    public void revokeSession(SignedIn who, String session) throws SQLException {
        if (revoke(who, session, null, "session revoked").isEmpty()) {
            throw new HttpError(404, "no such session");
        }
    }

    /** "Log out everywhere": ends every session of the caller's, this one included. */
    public void revokeAll(SignedIn who) throws SQLException {
        revoke(who, null, null, "signed out everywhere");
    }

    private List<String> revoke(SignedIn who, String only, String keep, String reason) throws SQLException {
        List<String> revoked = database.transaction(c -> Sessions.revoke(c, who.user().id(), only, keep));
        AccessChange.sessionsRevoked(broker, who.user().id(), revoked, reason);
        return revoked;
    }

    /** A new password; every other session ends (whoever knew the old password is signed out). */
    public void changePassword(SignedIn who, PasswordChange change) throws SQLException {
        confirm(who, change.currentPassword(), "currentPassword");
        String hash = passwords.hash(change.newPassword());
        List<String> revoked = database.transaction(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE users SET password_hash = ? WHERE id = ?")) {
                update.setString(1, hash);
                update.setLong(2, who.user().id());
                update.executeUpdate();
            }
            return Sessions.revoke(c, who.user().id(), null, who.session());
        });
        AccessChange.sessionsRevoked(broker, who.user().id(), revoked, "password changed");
    }

    /**
     * Removes the caller's account: its sessions and memberships go, its name is freed, and its messages stay in
     * their rooms' logs under "deleted user N" (their sequence numbers are other people's history too).
     */
    public void remove(SignedIn who, Confirmation confirmation) throws SQLException {
        confirm(who, confirmation.password(), "password");
        long id = who.user().id();
        List<String> revoked = database.transaction(c -> {
            for (String sql : List.of("DELETE FROM members WHERE user_id = ?", "DELETE FROM mentions WHERE user_id = ?",
                    "UPDATE users SET username = CONCAT('deleted user ', id), username_key = NULL, "
                            + "display_name = NULL, password_hash = '!' WHERE id = ?")) {
                try (PreparedStatement statement = c.prepareStatement(database.settings().isSqlite()
                        ? sql.replace("CONCAT('deleted user ', id)", "'deleted user ' || id") : sql)) {
                    statement.setLong(1, id);
                    statement.executeUpdate();
                }
            }
            return Sessions.revoke(c, id, null, null);
        });
        AccessChange.sessionsRevoked(broker, id, revoked, "account removed");
    }

    private void confirm(SignedIn who, String password, String field) throws SQLException {
        String hash = database.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT password_hash FROM users WHERE id = ?")) {
                select.setLong(1, who.user().id());
                ResultSet rs = select.executeQuery();
                return rs.next() ? rs.getString(1) : null;
            }
        });
        if (password == null || hash == null || !passwords.matches(password, hash)) {
            throw InvalidInput.field(field, "not your current password", "value_error.password");
        }
    }

    /** The session a token names, if it is live. */
    public Optional<SignedIn> sessionFor(String token) throws SQLException {
        return sessions.find(token);
    }

    /** The bearer token of a request, or 401. */
    public static String bearer(Request request) {
        String header = request.header("Authorization").orElse("");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            throw unauthorized();
        }
        return header.substring(7).strip();
    }

    /** The signed-in session of a request, or 401. */
    public SignedIn signedIn(Request request) throws SQLException {
        return sessions.find(bearer(request)).orElseThrow(Accounts::unauthorized);
    }

    /** The signed-in user of a request, or 401. */
    public User authenticate(Request request) throws SQLException {
        return signedIn(request).user();
    }

    static HttpError unauthorized() {
        return new HttpError(401, "sign in first").header("WWW-Authenticate", "Bearer");
    }
}
