package io.corral.chat.account;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Argon2id password hashes in PHC form ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}), OWASP's parameters by
 * default. The parameters travel inside each hash, so raising them later leaves old hashes verifiable.
 * {@code CHAT_ARGON2_MEMORY_KIB} lowers the memory cost for test suites that create many accounts.
 *
 * <p>A login for a name nobody has is checked against {@link #matchesNothing}, a hash of a random password made at
 * start with the same parameters: it takes as long as a real check, so the answer's time does not tell which names
 * exist.
 */
final class Passwords {
    private final Argon2Function argon2;
    private final String dummy;
    private final AtomicLong verifications = new AtomicLong();

    Passwords(int memoryKib) {
        this.argon2 = Argon2Function.getInstance(memoryKib, 2, 1, 32, Argon2.ID);
        this.dummy = hash(Tokens.newToken());
    }

    static Passwords fromEnvironment(java.util.Map<String, String> env) {
        return new Passwords(Integer.parseInt(env.getOrDefault("CHAT_ARGON2_MEMORY_KIB", "19456")));
    }

    String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(argon2).getResult();
    }

    boolean matches(String password, String hash) {
        verifications.incrementAndGet();
        return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
    }

    /** As long as {@link #matches} takes, and false: for a login whose name has no account. */
    boolean matchesNothing(String password) {
        matches(password, dummy);
        return false;
    }

    /** How many hashes were checked, for tests that the unknown-name path costs a check as well. */
    long verifications() {
        return verifications.get();
    }
}
