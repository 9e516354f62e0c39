package io.corral.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.corral.testing.RawWebSocket;
import io.corral.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Issue 20's rules that involve storage, against a real worker, once per database ({@link SqliteChatTrustIT},
 * {@link MariaDbChatTrustIT}): deletion that deletes, sessions that end, limits, names and text. The rules that
 * cross workers are in {@link ChatAcrossWorkersIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChatTrustContract {
    private static final Map<String, String> LIMITS = Map.of("CHAT_LIMIT_POSTS", "8/1m", "CHAT_LIMIT_ROOMS", "3/1h",
            "CHAT_LIMIT_REGISTRATIONS", "3/1h", "CHAT_LIMIT_LOGIN_PER_ADDRESS", "6/1m",
            "CHAT_LIMIT_LOGIN_PER_ACCOUNT", "3/1m", "CHAT_LIMIT_UPLOADS", "3/1h");
    private Map<String, String> env;
    private TestServer server;
    private int port;

    abstract Map<String, String> database() throws Exception;

    @BeforeAll
    void start() throws Exception {
        env = new HashMap<>();
        server = ChatService.inProcess(database(), LIMITS, env);
        port = server.port();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static String unique(String name) {
        return name + UUID.randomUUID().toString().substring(0, 8);
    }

    // --- deletion purges ------------------------------------------------------------------------------------------

    @Test
    void aDeletedMessageAndEveryReplacedTextAreGoneFromEveryTablePageAndResume() throws Exception {
        var alice = ChatClient.signUp(port, unique("alice"));
        long room = alice.call("POST", "/api/rooms", Map.of("name", "purge")).body().get("id").asLong();
        String path = "/api/rooms/" + room + "/messages";
        String secret = unique("secret-"), draft = unique("draft-"), second = unique("second-"), last = unique("last-");
        alice.call("POST", path, Map.of("text", secret));                      // 1
        alice.call("POST", path, Map.of("text", draft));                       // 2
        alice.call("PATCH", path + "/2", Map.of("text", second));              // 3
        alice.call("PATCH", path + "/2", Map.of("text", last));                // 4
        var deleted = alice.call("DELETE", path + "/1", null);                 // 5
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.body().get("kind").asString()).isEqualTo("delete");

        assertThat(alice.call("DELETE", path + "/1", null).status()).as("deleting twice").isEqualTo(404);
        var resurrection = alice.call("PATCH", path + "/1", Map.of("text", "back again"));
        assertThat(resurrection.status()).as("editing a deleted message").isEqualTo(404);

        for (String page : List.of(path, path + "?after=0", path + "?before=6")) {
            JsonNode events = alice.get(page).body().get("events");
            assertThat(events).extracting(e -> e.get("seq").asLong()).as(page).containsExactly(1L, 2L, 3L, 4L, 5L);
            JsonNode first = events.get(0);
            assertThat(first.get("text").isNull()).as("the deleted message's text").isTrue();
            assertThat(first.get("deletedAt").isNull()).isFalse();
            assertThat(first.get("target").isNull()).as("a plain message's target").isTrue();
            assertThat(events.get(1).get("text").asString()).as("an edited message shows its text now").isEqualTo(last);
            assertThat(events.get(1).get("editedAt").isNull()).isFalse();
            assertThat(events.get(2).get("text").isNull()).as("an edit replaced by a later one").isTrue();
            assertThat(events.get(3).get("text").asString()).isEqualTo(last);
            assertThat(events.toString()).doesNotContain(secret, draft, second);
        }
        try (RawWebSocket ws = signedInSocket(alice)) {
            ws.sendText("{\"type\": \"subscribe\", \"room\": " + room + ", \"after\": 0}");
            var resumed = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                resumed.append(WorkerConnections.next(ws, "event"));
            }
            assertThat(resumed.toString()).as("a socket resuming from 0").doesNotContain(secret, draft, second)
                    .contains(last);
        }
        assertThat(everyStoredValue()).as("every value of every table").doesNotContain(secret, draft, second)
                .contains(last);
        if (env.get("DATABASE_URL").startsWith("jdbc:sqlite:")) {
            String file = env.get("DATABASE_URL").substring("jdbc:sqlite:".length());
            try (Connection c = DriverManager.getConnection(env.get("DATABASE_URL"))) {
                c.createStatement().execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            for (String part : List.of(file, file + "-wal")) {
                if (Files.exists(Path.of(part))) {
                    String bytes = new String(Files.readAllBytes(Path.of(part)), StandardCharsets.ISO_8859_1);
                    assertThat(bytes).as("the bytes of " + part + " (free pages too)")
                            .doesNotContain(secret, draft, second);
                }
            }
        }
    }

    /** Every value of every table, as text: what a copy of the database would give away. */
    private String everyStoredValue() throws Exception {
        var all = new StringBuilder();
        try (Connection c = DriverManager.getConnection(env.get("DATABASE_URL"), env.get("DATABASE_USER"),
                env.get("DATABASE_PASSWORD"))) {
            var tables = new ArrayList<String>();
            ResultSet names = c.getMetaData().getTables(c.getCatalog(), null, "%", new String[] {"TABLE"});
            while (names.next()) {
                tables.add(names.getString("TABLE_NAME"));
            }
            assertThat(tables).contains("events", "users", "tokens");
            for (String table : tables) {
                ResultSet rows = c.createStatement().executeQuery("SELECT * FROM " + table);
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    for (int i = 1; i <= columns; i++) {
                        all.append(rows.getString(i)).append('\n');
                    }
                }
            }
        }
        return all.toString();
    }

    // --- sessions -------------------------------------------------------------------------------------------------

    @Test
    void sessionsCanBeListedRevokedOneByOneOrEverywhere() throws Exception {
        String name = unique("sam");
        var phone = ChatClient.signUp(port, name);
        var laptop = ChatClient.logIn(port, name);
        JsonNode sessions = phone.get("/api/sessions").body();
        assertThat(sessions).hasSize(2);
        String laptopId = null;
        for (JsonNode session : sessions) {
            if (!session.get("current").asBoolean()) {
                laptopId = session.get("id").asString();
            }
        }
        assertThat(laptopId).isNotNull();
        assertThat(phone.call("DELETE", "/api/sessions/" + laptopId, null).status()).isEqualTo(204);
        assertThat(laptop.get("/api/me").status()).as("the revoked session").isEqualTo(401);
        assertThat(phone.call("DELETE", "/api/sessions/" + laptopId, null).status()).isEqualTo(404);
        assertThat(phone.get("/api/me").status()).isEqualTo(200);

        var tablet = ChatClient.logIn(port, name);
        assertThat(phone.call("DELETE", "/api/sessions", null).status()).as("log out everywhere").isEqualTo(204);
        assertThat(phone.get("/api/me").status()).isEqualTo(401);
        assertThat(tablet.get("/api/me").status()).isEqualTo(401);
    }

    @Test
    void aPasswordChangeEndsTheOtherSessionsAndAnAccountCanBeRemoved() throws Exception {
        String name = unique("pat");
        var here = ChatClient.signUp(port, name);
        var elsewhere = ChatClient.logIn(port, name);
        var wrong = here.call("POST", "/api/me/password", Map.of("currentPassword", "not it", "newPassword",
                "a brand new one"));
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(here.call("POST", "/api/me/password", Map.of("currentPassword", "password-" + name,
                "newPassword", "a brand new one")).status()).isEqualTo(204);
        assertThat(elsewhere.get("/api/me").status()).as("the other session").isEqualTo(401);
        assertThat(here.get("/api/me").status()).as("the session that changed it").isEqualTo(200);
        var anonymous = new ChatClient(port, null, ChatClient.randomAddress());
        assertThat(anonymous.call("POST", "/api/login", Map.of("username", name, "password", "password-" + name))
                .status()).as("the old password").isEqualTo(401);

        long room = here.call("POST", "/api/rooms", Map.of("name", "mine")).body().get("id").asLong();
        here.call("POST", "/api/rooms/" + room + "/messages", Map.of("text", "hello"));
        assertThat(here.call("DELETE", "/api/me", Map.of("password", "wrong")).status()).isEqualTo(422);
        assertThat(here.call("DELETE", "/api/me", Map.of("password", "a brand new one")).status()).isEqualTo(204);
        assertThat(here.get("/api/me").status()).isEqualTo(401);
        var again = anonymous.call("POST", "/api/register", Map.of("username", name, "password", "password-x"));
        assertThat(again.status()).as("the name is free again").isEqualTo(201);
    }

    @Test
    void aSessionLivesWhileUsedAndEndsOnceUnusedForItsLifetime() throws Exception {
        var shortLived = new HashMap<>(env);
        shortLived.put("CHAT_SESSION_LIFETIME", "3s");
        try (var second = TestServer.start(new ChatApp(shortLived))) {
            var user = ChatClient.signUp(second.port(), unique("eve"));
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(250))
                    .alias("used every 250 ms, past its 3 s lifetime").until(() -> user.get("/api/me").status() == 200);
            await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ofSeconds(3))
                    .until(() -> user.get("/api/me").status() == 401);
        }
    }

    // --- limits ---------------------------------------------------------------------------------------------------

    @Test
    void postingPastTheLimitIs429WithRetryAfterAndStoresNothing() throws Exception {
        var bob = ChatClient.signUp(port, unique("bob"));
        long room = bob.call("POST", "/api/rooms", Map.of("name", "fast")).body().get("id").asLong();
        String path = "/api/rooms/" + room + "/messages";
        for (int i = 0; i < 8; i++) {
            assertThat(bob.call("POST", path, Map.of("text", "m" + i)).status()).isEqualTo(201);
        }
        var refused = bob.call("POST", path, Map.of("text", "one too many"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(bob.get(path).body().get("events")).hasSize(8);
    }

    @Test
    void uploadsAreLimitedEvenWhenWhatTheyStoredIsGoneAgain() throws Exception {
        var dora = ChatClient.signUp(port, unique("dora"));
        for (int i = 0; i < 3; i++) {  // refused as avatars (not images): nothing stays, each still counts
            assertThat(dora.upload("PUT", "/api/me/avatar", "image/png", "not an image".getBytes()).status())
                    .isEqualTo(415);
        }
        var refused = dora.upload("PUT", "/api/me/avatar", "image/png", "not an image".getBytes());
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isNotNull();
    }

    @Test
    void roomCreationAndRegistrationAreLimited() throws Exception {
        var carol = ChatClient.signUp(port, unique("carol"));
        for (int i = 0; i < 3; i++) {
            assertThat(carol.call("POST", "/api/rooms", Map.of("name", "r" + i)).status()).isEqualTo(201);
        }
        var refused = carol.call("POST", "/api/rooms", Map.of("name", "r3"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isNotNull();

        var office = new ChatClient(port, null, ChatClient.randomAddress());
        for (int i = 0; i < 3; i++) {
            assertThat(office.call("POST", "/api/register", Map.of("username", unique("o"), "password",
                    "long enough")).status()).isEqualTo(201);
        }
        assertThat(office.call("POST", "/api/register", Map.of("username", unique("o"), "password", "long enough"))
                .status()).as("a fourth account from one address within the hour").isEqualTo(429);
        assertThat(new ChatClient(port, null, ChatClient.randomAddress()).call("POST", "/api/register",
                Map.of("username", unique("o"), "password", "long enough")).status()).isEqualTo(201);
    }

    @Test
    void failedLoginsLockOutTheAttackersAddressNeverTheOwnerElsewhere() throws Exception {
        String name = unique("olga");
        ChatClient.signUp(port, name);
        var attacker = new ChatClient(port, null, ChatClient.randomAddress());
        for (int i = 0; i < 3; i++) {
            assertThat(attacker.call("POST", "/api/login", Map.of("username", name, "password", "guess" + i))
                    .status()).isEqualTo(401);
        }
        var good = Map.of("username", name, "password", "password-" + name);
        assertThat(attacker.call("POST", "/api/login", good).status()).as("even the right password, from there")
                .isEqualTo(429);
        assertThat(new ChatClient(port, null, ChatClient.randomAddress()).call("POST", "/api/login", good).status())
                .as("the owner, from another address").isEqualTo(200);

        var sprayer = new ChatClient(port, null, ChatClient.randomAddress());
        for (int i = 0; i < 6; i++) {
            sprayer.call("POST", "/api/login", Map.of("username", unique("nobody"), "password", "guess"));
        }
        var sprayed = sprayer.call("POST", "/api/login", good);
        assertThat(sprayed.status()).as("an address that tried many names").isEqualTo(429);
        assertThat(sprayed.header("Retry-After")).isNotNull();
    }

    @Test
    void variantsOfANameAndParallelGuessesGetNoExtraTries() throws Exception {
        String name = unique("vic");
        ChatClient.signUp(port, name);
        var attacker = new ChatClient(port, null, ChatClient.randomAddress());
        var right = "password-" + name;
        for (String variant : List.of(name + "   ", name + " ".repeat(300), "\t" + name)) {
            var reply = attacker.call("POST", "/api/login", Map.of("username", variant, "password", right));
            assertThat(reply.status()).as("'%s' is not the account's name", variant.strip()).isEqualTo(401);
        }
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var statuses = new ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < 20; i++) {
                int guess = i;
                statuses.add(pool.submit(() -> attacker.call("POST", "/api/login",
                        Map.of("username", name, "password", "guess" + guess)).status()));
            }
            long wrong = 0;
            for (var status : statuses) {
                int code = status.get();
                assertThat(code).isIn(401, 429);
                wrong += code == 401 ? 1 : 0;
            }
            assertThat(wrong).as("guesses checked of 20 sent at once, with a limit of 3").isLessThanOrEqualTo(3);
        }
    }

    @Test
    void aLoginRacingAPasswordChangeLeavesNoSessionOfTheOldPassword() throws Exception {
        String name = unique("race");
        var owner = ChatClient.signUp(port, name);
        var tokens = new java.util.concurrent.ConcurrentLinkedQueue<String>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var logins = new ArrayList<java.util.concurrent.Future<?>>();
            for (int i = 0; i < 8; i++) {
                var device = new ChatClient(port, null, ChatClient.randomAddress());
                logins.add(pool.submit(() -> {
                    var reply = device.call("POST", "/api/login", Map.of("username", name, "password",
                            "password-" + name));
                    if (reply.status() == 200) {
                        tokens.add(reply.body().get("token").asString());
                    }
                    return null;
                }));
            }
            assertThat(owner.call("POST", "/api/me/password", Map.of("currentPassword", "password-" + name,
                    "newPassword", "changed in a hurry")).status()).isEqualTo(204);
            for (var login : logins) {
                login.get();
            }
        }
        for (String token : tokens) {
            assertThat(new ChatClient(port, token).get("/api/me").status()).as("a session of the old password")
                    .isEqualTo(401);
        }
    }

    @Test
    void anEditRacingADeletionNeverPutsTextOnTheTombstone() throws Exception {
        var fay = ChatClient.signUp(port, unique("fay"));
        long room = fay.call("POST", "/api/rooms", Map.of("name", "races")).body().get("id").asLong();
        String path = "/api/rooms/" + room + "/messages";
        var unlimited = new HashMap<>(env);
        unlimited.put("CHAT_LIMIT_POSTS", "off");
        try (var second = TestServer.start(new ChatApp(unlimited));
             var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var fast = new ChatClient(second.port(), fay.token());
            for (int round = 0; round < 10; round++) {
                long seq = fast.call("POST", path, Map.of("text", "round " + round)).body().get("seq").asLong();
                var edit = pool.submit(() -> fast.call("PATCH", path + "/" + seq, Map.of("text", "edited")).status());
                var delete = pool.submit(() -> fast.call("DELETE", path + "/" + seq, null).status());
                assertThat(delete.get()).isEqualTo(200);
                assertThat(edit.get()).isIn(200, 404);
            }
            for (JsonNode event : fast.get(path + "?limit=200").body().get("events")) {
                if (!event.get("kind").asString().equals("delete")) {
                    assertThat(event.get("text").isNull()).as("event %s after its message was deleted", event)
                            .isTrue();
                }
            }
        }
    }

    @Test
    void theCheckOfOpenSocketsEndsThoseWhoseSessionOrMembershipWentWithoutABrokerMessage() throws Exception {
        var checked = new HashMap<>(env);
        checked.put("CHAT_SESSION_CHECK_INTERVAL", "1s");
        try (var second = TestServer.start(new ChatApp(checked))) {
            var gus = ChatClient.signUp(second.port(), unique("gus"));
            var hal = ChatClient.signUp(second.port(), unique("hal"));
            long room = gus.call("POST", "/api/rooms", Map.of("name", "secret", "isPrivate", true)).body().get("id")
                    .asLong();
            JsonNode hals = hal.get("/api/me").body();
            gus.call("POST", "/api/rooms/" + room + "/invite", Map.of("username", hals.get("username").asString()));
            try (RawWebSocket halWs = signedInSocket(second.port(), hal);
                 RawWebSocket gusWs = signedInSocket(second.port(), gus)) {
                halWs.sendText("{\"type\": \"subscribe\", \"room\": " + room + ", \"after\": 0}");
                assertThat(WorkerConnections.next(halWs, "subscribed")).isNotNull();
                // As if the broker lost the messages: the rows go, and nobody publishes anything.
                sql("DELETE FROM members WHERE room_id = " + room + " AND user_id = " + hals.get("id").asLong());
                JsonNode lost = WorkerConnections.next(halWs, "error");
                assertThat(lost.get("code").asString()).isEqualTo("room_lost");
                sql("DELETE FROM tokens WHERE user_id = (SELECT id FROM users WHERE username = '"
                        + gus.get("/api/me").body().get("username").asString() + "')");
                assertThat(WorkerConnections.closeCode(gusWs)).isEqualTo(4401);
            }
        }
    }

    @Test
    void anUnsubscribeRightAfterASubscribeEndsTheFeed() throws Exception {
        var ivy = ChatClient.signUp(port, unique("ivy"));
        long room = ivy.call("POST", "/api/rooms", Map.of("name", "brief")).body().get("id").asLong();
        long probe = ivy.call("POST", "/api/rooms", Map.of("name", "probe")).body().get("id").asLong();
        try (RawWebSocket ws = signedInSocket(ivy)) {
            ws.sendText("{\"type\": \"subscribe\", \"room\": " + room + ", \"after\": 0}");
            ws.sendText("{\"type\": \"unsubscribe\", \"room\": " + room + "}");
            assertThat(WorkerConnections.next(ws, "subscribed").get("room").asLong()).isEqualTo(room);
            ivy.call("POST", "/api/rooms/" + room + "/messages", Map.of("text", "after the unsubscribe"));
            ws.sendText("{\"type\": \"subscribe\", \"room\": " + probe + ", \"after\": 0}");
            assertThat(WorkerConnections.until(ws, "subscribed"))
                    .noneMatch(frame -> frame.path("type").asString("").equals("event"));
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(env.get("DATABASE_URL"), env.get("DATABASE_USER"),
                env.get("DATABASE_PASSWORD"))) {
            c.createStatement().executeUpdate(statement);
        }
    }

    // --- names and text -------------------------------------------------------------------------------------------

    @Test
    void usernamesAreOneNameWhateverTheirCaseOrWidth() throws Exception {
        String base = "own" + UUID.randomUUID().toString().replaceAll("[^a-f]", "").substring(0, 4);
        var registrar = new ChatClient(port, null, ChatClient.randomAddress());
        assertThat(register(registrar, base).status()).isEqualTo(201);
        assertThat(register(new ChatClient(port, null, ChatClient.randomAddress()), base.toUpperCase()).status())
                .isEqualTo(409);
        String fullwidth = "\uFF2F" + base.substring(1);  // "Ｏwn..."
        assertThat(register(new ChatClient(port, null, ChatClient.randomAddress()), fullwidth).status())
                .isEqualTo(409);
        String german = "stra\u00DFe" + base.substring(3);
        assertThat(register(new ChatClient(port, null, ChatClient.randomAddress()), german).status()).isEqualTo(201);
        assertThat(register(new ChatClient(port, null, ChatClient.randomAddress()), "STRASSE" + base.substring(3))
                .status()).isEqualTo(409);
        var login = new ChatClient(port, null, ChatClient.randomAddress()).call("POST", "/api/login",
                Map.of("username", base.toUpperCase(), "password", "long enough"));
        assertThat(login.status()).as("signing in whatever the case").isEqualTo(200);
        assertThat(login.body().get("user").get("username").asString()).isEqualTo(base);
    }

    @Test
    void invisibleControlAndMalformedTextIsRefusedAndLengthsCountCodePoints() throws Exception {
        var dan = ChatClient.signUp(port, unique("dan"));
        for (String name : List.of("\u200B\u200C\u2060", "abc\u202Eexe.txt", "tab\there", " \u3164 ")) {
            assertThat(dan.call("POST", "/api/rooms", Map.of("name", name)).status()).as("room %s", name)
                    .isEqualTo(422);
        }
        var registrar = new ChatClient(port, null, ChatClient.randomAddress());
        assertThat(register(registrar, "\u200Bann\u200B").status()).isEqualTo(422);
        long room = dan.call("POST", "/api/rooms", Map.of("name", "\uD83D\uDE00".repeat(64))).body().get("id")
                .asLong();
        String path = "/api/rooms/" + room + "/messages";
        for (String text : List.of("\u200B\u202E \u2066\u200F", "a\u0000b", "esc\u001B[31m")) {
            assertThat(dan.call("POST", path, Map.of("text", text)).status()).isEqualTo(422);
        }
        assertThat(dan.send("POST", path, "{\"text\": \"lone \\ud800 surrogate\"}").status()).isEqualTo(422);
        assertThat(dan.send("POST", path, "{\"text\": \"a pair \\ud83d\\ude00\"}").status()).isEqualTo(201);
        assertThat(dan.call("POST", path, Map.of("text", "\uD83D\uDE00".repeat(4000))).status())
                .as("4,000 emoji: 8,000 UTF-16 units").isEqualTo(201);
        assertThat(dan.call("POST", path, Map.of("text", "\uD83D\uDE00".repeat(4001))).status()).isEqualTo(422);
        assertThat(dan.call("POST", path, Map.of("text", "rtl \u202Bkept\u202C in a message")).status())
                .isEqualTo(201);
        JsonNode events = dan.get(path).body().get("events");
        assertThat(events).hasSize(3);
        assertThat(events.get(0).get("text").asString()).isEqualTo("a pair \uD83D\uDE00");
    }

    private static ChatClient.Reply register(ChatClient client, String name) throws Exception {
        return client.call("POST", "/api/register", Map.of("username", name, "password", "long enough"));
    }

    // --- protocol edges -------------------------------------------------------------------------------------------

    @Test
    void onlyJsonBodiesAreReadAndTheClientIsServedWithItsSecurityHeaders() throws Exception {
        var anonymous = new ChatClient(port, null, ChatClient.randomAddress());
        String name = unique("csrf");
        String body = "{\"username\": \"" + name + "\", \"password\": \"long enough\"}";
        var plain = anonymous.send("POST", "/api/register", "text/plain", body);
        assertThat(plain.status()).as("text/plain, as a foreign page may send").isEqualTo(415);
        assertThat(anonymous.send("POST", "/api/login", "application/x-www-form-urlencoded", body).status())
                .isEqualTo(415);
        assertThat(anonymous.send("POST", "/api/register", "application/json; charset=utf-8", body).status())
                .as("nothing was created by the refused one").isEqualTo(201);

        var page = server.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'", "frame-ancestors 'none'");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    }

    @Test
    void aSubscribeOrReadMarkerBeyondTheLastSeqIsAnsweredNotIgnored() throws Exception {
        var erin = ChatClient.signUp(port, unique("erin"));
        long room = erin.call("POST", "/api/rooms", Map.of("name", "edges")).body().get("id").asLong();
        erin.call("POST", "/api/rooms/" + room + "/messages", Map.of("text", "one"));
        assertThat(erin.call("POST", "/api/rooms/" + room + "/read", Map.of("seq", 1_000_000_000_000_000L))
                .status()).isEqualTo(422);
        assertThat(erin.call("POST", "/api/rooms/" + room + "/read", Map.of("seq", 1)).status()).isEqualTo(204);
        try (RawWebSocket ws = signedInSocket(erin)) {
            ws.sendText("{\"type\": \"subscribe\", \"room\": " + room + ", \"after\": 99}");
            JsonNode error = WorkerConnections.next(ws, "error");
            assertThat(error.get("code").asString()).isEqualTo("after_beyond_end");
            assertThat(error.get("lastSeq").asLong()).isEqualTo(1);
            ws.sendText("{\"type\": \"read\", \"room\": " + room + ", \"seq\": 50}");
            assertThat(WorkerConnections.next(ws, "error").get("code").asString()).isEqualTo("invalid");
        }
    }

    private RawWebSocket signedInSocket(ChatClient client) throws Exception {
        return signedInSocket(port, client);
    }

    private static RawWebSocket signedInSocket(int port, ChatClient client) throws Exception {
        return WorkerConnections.signedIn(port, client);
    }
}
