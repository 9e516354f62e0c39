package io.corral.chat.account;

/** An account, as the API shows it. */
public record User(long id, String username) {
}
