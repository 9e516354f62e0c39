package io.corral.chat.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.app.Broker;
import io.corral.app.HttpError;
import io.corral.chat.limit.ChatLimits;
import io.corral.chat.store.Database;
import io.corral.chat.store.DatabaseSettings;
import io.corral.chat.store.Migrations;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A login for a name nobody has costs a password check, as one for a real name does: no timing oracle. */
class LoginTimingTest {

    @Test
    void anUnknownNameIsCheckedAgainstADummyHash() throws Exception {
        var env = Map.of("DATABASE_URL", "jdbc:sqlite:" + Files.createTempDirectory("chat-") + "/chat.db",
                "CHAT_ARGON2_MEMORY_KIB", "1024");
        try (var database = Database.open(DatabaseSettings.fromEnvironment(env))) {
            new Migrations(database).migrate();
            Broker none = new Broker() {
                @Override
                public void publish(String topic, byte[] message) {
                }

                @Override
                public Subscription subscribe(String topic, Listener listener) {
                    return () -> { };
                }
            };
            var accounts = new Accounts(database, env, new Sessions(database, Duration.ofDays(1)),
                    ChatLimits.fromEnvironment(Map.of()), none);
            accounts.register(new Accounts.NewAccount("alice", "correct horse"), "192.0.2.1");
            Passwords passwords = accounts.passwords();

            long before = passwords.verifications();
            assertThatThrownBy(() -> accounts.login(new Accounts.Credentials("alice", "wrong"), "192.0.2.2", null))
                    .isInstanceOf(HttpError.class).hasMessageContaining("wrong username or password");
            assertThat(passwords.verifications() - before).as("a real name, wrong password").isEqualTo(1);

            before = passwords.verifications();
            assertThatThrownBy(() -> accounts.login(new Accounts.Credentials("nobody", "wrong"), "192.0.2.3", null))
                    .isInstanceOf(HttpError.class).hasMessageContaining("wrong username or password");
            assertThat(passwords.verifications() - before).as("an unknown name").isEqualTo(1);

            before = passwords.verifications();
            assertThatThrownBy(() -> accounts.login(new Accounts.Credentials(null, null), "192.0.2.4", null))
                    .isInstanceOf(HttpError.class);
            assertThat(passwords.verifications() - before).as("no name, no password").isEqualTo(1);
        }
    }
}
