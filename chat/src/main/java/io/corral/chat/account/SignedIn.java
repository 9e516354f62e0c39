package io.corral.chat.account;

/** Who made a request, and through which session ({@link Sessions}: the public id of its token). */
public record SignedIn(User user, String session) {
}
