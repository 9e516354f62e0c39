package io.corral.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.testing.TestServer;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Every endpoint of Corral Chat's API and every refusal, against a real worker; run once per database
 * ({@link SqliteChatApiIT}, {@link MariaDbChatApiIT}) with the same assertions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChatApiContract {
    private TestServer server;
    private int port;

    /** The environment of the app: its DATABASE_URL and friends. */
    abstract Map<String, String> database() throws Exception;

    @BeforeAll
    void start() throws Exception {
        server = ChatService.inProcess(database(), Map.of(), new java.util.HashMap<>());
        port = server.port();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void healthNeverTouchesTheDatabaseAndReadyDoes() throws Exception {
        var anonymous = new ChatClient(port);
        assertThat(anonymous.get("/health").body().toString()).isEqualTo("{\"status\":\"healthy\"}");
        assertThat(anonymous.get("/ready").status()).isEqualTo(200);
    }

    @Test
    void accountsRegisterLogInSeeThemselvesAndLogOut() throws Exception {
        var anonymous = new ChatClient(port);
        String name = unique("ann");
        var credentials = Map.of("username", name, "password", "correct horse");
        var registered = anonymous.call("POST", "/api/register", credentials);
        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.body().get("username").asString()).isEqualTo(name);
        assertThat(registered.body().has("password_hash")).isFalse();
        assertThat(anonymous.call("POST", "/api/register", credentials).status()).as("duplicate").isEqualTo(409);

        var wrong = anonymous.call("POST", "/api/login", Map.of("username", name, "password", "wrong password"));
        assertThat(wrong.status()).isEqualTo(401);
        var login = anonymous.call("POST", "/api/login", credentials);
        assertThat(login.status()).isEqualTo(200);
        String token = login.body().get("token").asString();
        assertThat(token).hasSizeGreaterThanOrEqualTo(43);  // 256 random bits, base64url

        var ann = new ChatClient(port, token);
        assertThat(ann.get("/api/me").body().get("username").asString()).isEqualTo(name);
        var nobody = anonymous.get("/api/me");
        assertThat(nobody.status()).isEqualTo(401);
        assertThat(nobody.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(new ChatClient(port, "forged").get("/api/me").status()).isEqualTo(401);

        assertThat(ann.call("POST", "/api/logout", null).status()).isEqualTo(204);
        assertThat(ann.get("/api/me").status()).as("a revoked token").isEqualTo(401);
    }

    @Test
    void invalidAccountsAreRefusedFieldByField() throws Exception {
        var reply = new ChatClient(port).call("POST", "/api/register", Map.of("username", "a b", "password", "short"));
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.body().get("detail").toString()).contains("\"username\"").contains("\"password\"");
        assertThat(new ChatClient(port).send("POST", "/api/register", "{not json").status()).isEqualTo(400);
    }

    @Test
    void repeatedFailedLoginsAreAnswered429WithRetryAfter() throws Exception {
        var bob = ChatClient.signUp(port, unique("bob"));
        String name = bob.get("/api/me").body().get("username").asString();
        var anonymous = new ChatClient(port);
        for (int i = 0; i < 5; i++) {
            assertThat(anonymous.call("POST", "/api/login", Map.of("username", name, "password", "guess " + i))
                    .status()).isEqualTo(401);
        }
        var limited = anonymous.call("POST", "/api/login", Map.of("username", name, "password", "password-" + name));
        assertThat(limited.status()).as("even the right password, once limited").isEqualTo(429);
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
    }

    @Test
    void privateRoomsDoNotExistForNonMembersAndPublicOnesNeedJoiningToPost() throws Exception {
        var alice = ChatClient.signUp(port, unique("alice"));
        var bob = ChatClient.signUp(port, unique("bob"));
        var carol = ChatClient.signUp(port, unique("carol"));
        long open = alice.call("POST", "/api/rooms", Map.of("name", "lobby")).body().get("id").asLong();
        long secret = alice.call("POST", "/api/rooms", Map.of("name", "plans", "isPrivate", true))
                .body().get("id").asLong();

        JsonNode bobsList = bob.get("/api/rooms").body();
        assertThat(bobsList.get("public").toString()).contains("\"lobby\"").doesNotContain("plans");
        for (String path : new String[] {"/api/rooms/" + secret, "/api/rooms/" + secret + "/messages",
                "/api/rooms/" + secret + "/members"}) {
            assertThat(bob.get(path).status()).as(path).isEqualTo(404);
        }
        assertThat(bob.call("POST", "/api/rooms/" + secret + "/messages", Map.of("text", "hi")).status())
                .isEqualTo(404);
        assertThat(bob.call("POST", "/api/rooms/" + secret + "/join", null).status()).isEqualTo(404);
        assertThat(bob.call("POST", "/api/rooms/" + secret + "/invite", Map.of("username", "x")).status())
                .isEqualTo(404);

        assertThat(bob.call("POST", "/api/rooms/" + open + "/messages", Map.of("text", "hi")).status())
                .as("public room, not joined").isEqualTo(403);
        assertThat(bob.get("/api/rooms/" + open + "/messages").status()).as("but readable").isEqualTo(200);
        assertThat(bob.call("POST", "/api/rooms/" + open + "/join", null).status()).isEqualTo(200);
        assertThat(bob.call("POST", "/api/rooms/" + open + "/messages", Map.of("text", "hi")).status())
                .isEqualTo(201);

        String bobName = bob.get("/api/me").body().get("username").asString();
        String carolName = carol.get("/api/me").body().get("username").asString();
        assertThat(alice.call("POST", "/api/rooms/" + secret + "/invite", Map.of("username", bobName)).status())
                .isEqualTo(204);
        assertThat(bob.get("/api/rooms/" + secret + "/messages").status()).isEqualTo(200);
        assertThat(bob.call("POST", "/api/rooms/" + secret + "/invite", Map.of("username", carolName)).status())
                .as("a plain member may not invite").isEqualTo(403);
        assertThat(alice.get("/api/rooms/" + secret + "/members").body().toString())
                .contains(bobName).doesNotContain(carolName);
        assertThat(bob.call("POST", "/api/rooms/" + secret + "/leave", null).status()).isEqualTo(204);
        assertThat(bob.get("/api/rooms/" + secret + "/messages").status()).as("after leaving").isEqualTo(404);
    }

    @Test
    void theOwnerGrantsAdminAndHandsTheRoomOverAndNeverLeavesItOwnerless() throws Exception {
        var olive = ChatClient.signUp(port, unique("olive"));
        var adam = ChatClient.signUp(port, unique("adam"));
        var mia = ChatClient.signUp(port, unique("mia"));
        long room = olive.call("POST", "/api/rooms", Map.of("name", "ranks", "isPrivate", true)).body().get("id")
                .asLong();
        String base = "/api/rooms/" + room;
        long adamId = adam.get("/api/me").body().get("id").asLong();
        long miaId = mia.get("/api/me").body().get("id").asLong();
        long oliveId = olive.get("/api/me").body().get("id").asLong();
        for (var who : java.util.List.of(adam, mia)) {
            olive.call("POST", base + "/invite", Map.of("username", who.get("/api/me").body().get("username")
                    .asString()));
        }
        assertThat(olive.call("POST", base + "/leave", null).status()).as("the owner leaving").isEqualTo(409);
        assertThat(adam.call("PUT", base + "/members/" + miaId + "/role", Map.of("role", "admin")).status())
                .as("a member granting admin").isEqualTo(403);
        assertThat(olive.call("PUT", base + "/members/" + adamId + "/role", Map.of("role", "king")).status())
                .isEqualTo(422);
        assertThat(olive.call("PUT", base + "/members/999999/role", Map.of("role", "admin")).status())
                .isEqualTo(404);
        assertThat(olive.call("PUT", base + "/members/" + adamId + "/role", Map.of("role", "admin")).status())
                .isEqualTo(204);
        assertThat(roleIn(olive, room, adamId)).isEqualTo("admin");
        assertThat(adam.call("DELETE", base + "/members/" + oliveId, null).status()).as("an admin removing the owner")
                .isEqualTo(403);

        assertThat(olive.call("POST", base + "/owner", Map.of("userId", 999999)).status()).isEqualTo(422);
        assertThat(adam.call("POST", base + "/owner", Map.of("userId", adamId)).status()).isEqualTo(403);
        assertThat(olive.call("POST", base + "/owner", Map.of("userId", miaId)).status()).isEqualTo(204);
        assertThat(roleIn(mia, room, miaId)).isEqualTo("owner");
        assertThat(roleIn(mia, room, oliveId)).as("the old owner stays, as an admin").isEqualTo("admin");
        assertThat(olive.call("PUT", base + "/members/" + adamId + "/role", Map.of("role", "member")).status())
                .as("no longer the owner").isEqualTo(403);
        assertThat(olive.call("DELETE", base + "/members/" + adamId, null).status())
                .as("an admin removing an admin").isEqualTo(403);
        assertThat(mia.call("PUT", base + "/members/" + adamId + "/role", Map.of("role", "member")).status())
                .isEqualTo(204);
        assertThat(olive.call("DELETE", base + "/members/" + adamId, null).status()).isEqualTo(204);
        assertThat(adam.get(base).status()).as("a removed member, of a private room").isEqualTo(404);
        assertThat(olive.call("POST", base + "/leave", null).status()).isEqualTo(204);
    }

    private static String roleIn(ChatClient client, long room, long userId) throws Exception {
        for (JsonNode member : client.get("/api/rooms/" + room + "/members").body()) {
            if (member.get("id").asLong() == userId) {
                return member.get("role").asString();
            }
        }
        return null;
    }

    @Test
    void messagesHaveGaplessSequencesIdempotentRetriesHistoryEditsDeletesAndReadMarkers() throws Exception {
        var alice = ChatClient.signUp(port, unique("alice"));
        var bob = ChatClient.signUp(port, unique("bob"));
        long room = alice.call("POST", "/api/rooms", Map.of("name", "log")).body().get("id").asLong();
        bob.call("POST", "/api/rooms/" + room + "/join", null);
        String path = "/api/rooms/" + room + "/messages";
        for (int i = 1; i <= 5; i++) {
            var sent = alice.call("POST", path, Map.of("text", "message " + i, "clientId", "c" + i));
            assertThat(sent.status()).isEqualTo(201);
            assertThat(sent.body().get("seq").asLong()).isEqualTo(i);
        }
        var retry = alice.call("POST", path, Map.of("text", "message 3", "clientId", "c3"));
        assertThat(retry.body().get("seq").asLong()).as("a retried send").isEqualTo(3);

        assertThat(seqs(bob.get(path + "?after=2&limit=2"))).containsExactly(3L, 4L);
        assertThat(seqs(bob.get(path + "?before=3"))).containsExactly(1L, 2L);
        assertThat(seqs(bob.get(path))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(bob.get(path + "?limit=500").status()).isEqualTo(422);
        assertThat(bob.get(path + "?after=x").status()).isEqualTo(422);

        var edit = alice.call("PATCH", path + "/2", Map.of("text", "message two"));
        assertThat(edit.body().get("kind").asString()).isEqualTo("edit");
        assertThat(edit.body().get("seq").asLong()).isEqualTo(6);
        assertThat(edit.body().get("target").asLong()).isEqualTo(2);
        assertThat(bob.call("PATCH", path + "/2", Map.of("text", "hijacked")).status()).isEqualTo(403);
        assertThat(bob.call("DELETE", path + "/1", null).status()).isEqualTo(403);
        assertThat(alice.call("DELETE", path + "/1", null).body().get("kind").asString()).isEqualTo("delete");
        assertThat(alice.call("DELETE", path + "/99", null).status()).isEqualTo(404);

        JsonNode bobsRoom = roomOf(bob, room);
        assertThat(bobsRoom.get("unread").asLong()).as("alice's 5 messages, one deleted").isEqualTo(4);
        assertThat(bob.call("POST", "/api/rooms/" + room + "/read", Map.of("seq", 4)).status()).isEqualTo(204);
        assertThat(roomOf(bob, room).get("unread").asLong()).isEqualTo(1);
    }

    @Test
    void badMessagesAreRefusedWithAPreciseStatus() throws Exception {
        var alice = ChatClient.signUp(port, unique("alice"));
        long room = alice.call("POST", "/api/rooms", Map.of("name", "limits")).body().get("id").asLong();
        String path = "/api/rooms/" + room + "/messages";
        assertThat(alice.call("POST", path, Map.of("text", "")).status()).isEqualTo(422);
        assertThat(alice.call("POST", path, Map.of("text", "x".repeat(4001))).status()).isEqualTo(422);
        assertThat(alice.call("POST", path, Map.of("text", "x".repeat(70_000))).status()).as("over the body limit")
                .isEqualTo(413);
        assertThat(alice.call("POST", "/api/rooms", Map.of("name", "n".repeat(65))).status()).isEqualTo(422);
        assertThat(alice.get("/api/rooms/999999/messages").status()).isEqualTo(404);
        assertThat(alice.get("/api/rooms/abc/messages").status()).isEqualTo(404);
        assertThat(alice.get(path).body().get("events").size()).as("nothing half-written").isZero();
    }

    private static java.util.List<Long> seqs(ChatClient.Reply reply) {
        var seqs = new java.util.ArrayList<Long>();
        reply.body().get("events").forEach(e -> seqs.add(e.get("seq").asLong()));
        return seqs;
    }

    private static JsonNode roomOf(ChatClient client, long room) throws Exception {
        for (JsonNode r : client.get("/api/rooms").body().get("mine")) {
            if (r.get("id").asLong() == room) {
                return r;
            }
        }
        throw new AssertionError("room " + room + " not among mine");
    }
}
