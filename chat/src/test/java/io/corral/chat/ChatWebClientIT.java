package io.corral.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.testing.RequiredService;
import io.corral.testing.TestServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The web client's user stories (chat-client.mjs) in Debian's Chromium, each person in a browser context of their
 * own, against a real server; what the browser shows is compared with what the API says. Screenshots of the
 * layouts go to target/screenshots (the ones in docs/img are copies).
 */
class ChatWebClientIT {
    private static final Path SCRIPTS = Path.of("src/test/node");
    private static final Path CLIENT = Path.of("src/main/resources/public");
    /** The client's JavaScript, uncompressed, comments included: the budget docs/design.md states. */
    private static final long SCRIPT_BUDGET = 80 * 1024;

    @Test
    void historyAfterReloadAndScrollBackIsTheServersLogWithEveryChangeApplied() throws Exception {
        try (TestServer server = server()) {
            var alice = ChatClient.signUp(server.port(), "alice");
            var bob = ChatClient.signUp(server.port(), "bob");
            long room = alice.call("POST", "/api/rooms", Map.of("name", "history", "isPrivate", false))
                    .body().get("id").asLong();
            bob.call("POST", "/api/rooms/" + room + "/join", null);
            // 300 messages by two people; every 7th edited (every 21st twice), every 11th deleted, reactions,
            // replies (some to messages deleted or edited later), and a rename of the room among them.
            var seqs = new ArrayList<Long>();  // message number - 1 -> its seq
            var deleted = new java.util.HashSet<Integer>();
            for (int i = 1; i <= 300; i++) {
                ChatClient author = i % 2 == 0 ? alice : bob;
                var body = new HashMap<String, Object>(Map.of("text", "message " + i));
                if (i % 13 == 0 && !deleted.contains(i - 5)) {
                    body.put("replyTo", seqs.get(i - 6));
                }
                var posted = author.call("POST", "/api/rooms/" + room + "/messages", body);
                assertThat(posted.status()).as(posted.body().toString()).isEqualTo(201);
                long seq = posted.body().get("seq").asLong();
                seqs.add(seq);
                if (i % 7 == 0) {
                    author.call("PATCH", "/api/rooms/" + room + "/messages/" + seq, Map.of("text", "edited " + i));
                }
                if (i % 21 == 0) {
                    author.call("PATCH", "/api/rooms/" + room + "/messages/" + seq, Map.of("text", "again " + i));
                }
                if (i % 5 == 0) {
                    (i % 10 == 0 ? bob : alice).call("PUT", "/api/rooms/" + room + "/messages/" + seq
                            + "/reactions/%F0%9F%91%8D", null);
                }
                if (i % 11 == 0) {  // message i - 3, by the same author (i and i - 3 differ in parity: the other)
                    ChatClient its = (i - 3) % 2 == 0 ? alice : bob;
                    assertThat(its.call("DELETE", "/api/rooms/" + room + "/messages/" + seqs.get(i - 4), null)
                            .status()).isEqualTo(200);
                    deleted.add(i - 3);
                }
                if (i == 150) {
                    alice.call("PATCH", "/api/rooms/" + room, Map.of("name", "history, renamed"));
                }
            }
            List<JsonNode> log = log(alice, room);
            long edit = messageSeq(log, "message 297");  // bob's
            long remove = messageSeq(log, "message 299");  // bob's
            long react = messageSeq(log, "message 298");

            JsonNode seen = run("history", Map.of("base", base(server), "room", room, "bob", bob.token(),
                    "edit", edit, "remove", remove, "react", react));

            assertThat(rows(seen.get("firstPage"))).as("the first page: the newest rows, in order")
                    .containsExactlyElementsOf(expectedRows(log).subList(expectedRows(log).size()
                            - rows(seen.get("firstPage")).size(), expectedRows(log).size()));
            assertThat(seen.get("atBottom").asBoolean()).as("a room opens at its newest message").isTrue();
            assertThat(seen.get("days").valueStream().map(JsonNode::asString)).as("a day separator")
                    .containsExactly("Today");
            List<JsonNode> after = log(alice, room);
            List<Row> expected = expectedRows(after);
            assertThat(expected.stream().filter(r -> r.kind().equals("message"))).hasSize(301);
            assertThat(rows(seen.get("live"))).as("watched live, then scrolled back to the beginning")
                    .containsExactlyElementsOf(expected);
            assertThat(rows(seen.get("reloaded"))).as("after a reload, scrolled back to the beginning")
                    .containsExactlyElementsOf(expected);
            assertThat(seen.get("jumps").valueStream().map(JsonNode::asInt))
                    .as("each older page keeps the row in view where it was").isNotEmpty().allMatch(j -> j == 0);
            assertThat(seen.get("jumpsAfterReload").valueStream().map(JsonNode::asInt)).allMatch(j -> j == 0);
        }
    }

    @Test
    void messagesTypedWhileTheSocketIsAwayWaitAndGoOnceAndALostAckIsNoDuplicate() throws Exception {
        try (TestServer server = server()) {
            var alice = ChatClient.signUp(server.port(), "alice");
            long room = alice.call("POST", "/api/rooms", Map.of("name", "lobby", "isPrivate", false))
                    .body().get("id").asLong();

            JsonNode seen = run("flaky", Map.of("base", base(server), "room", room));

            assertThat(seen.get("pendingWhileAway").valueStream().map(JsonNode::asString))
                    .as("shown at once, as waiting").hasSize(2)
                    .allMatch(text -> text.contains("waiting for the connection"));
            assertThat(seen.get("inputAfterSend").asString()).isEmpty();
            assertThat(seen.get("sendFramesForAckLost").asInt()).as("sent, its ack lost, sent again").isEqualTo(2);
            assertThat(seen.get("failed").asString()).as("a refused message says so").startsWith("not sent: ")
                    .contains("deleted");
            List<JsonNode> log = log(alice, room);
            List<String> stored = log.stream().filter(e -> e.get("kind").asString().equals("message"))
                    .map(e -> e.get("deletedAt").isNull() ? e.get("text").asString() : "(deleted)").toList();
            assertThat(stored).as("each message once, in the order typed; the refused one, discarded, never")
                    .containsExactly("(deleted)", "typed while away 1", "typed while away 2", "ack lost",
                            "pending across a reload");
            assertThat(rows(seen.get("rows"))).containsExactlyElementsOf(expectedRows(log));
        }
    }

    @Test
    void aMessageStreamAcrossAWorkerReloadArrivesExactlyOnce() throws Exception {
        try (ChatService chat = ChatService.start("sqlite", 2, Map.of("CHAT_LIMIT_POSTS", "off"))) {
            var alice = ChatClient.signUp(chat.port(), "alice");
            long room = alice.call("POST", "/api/rooms", Map.of("name", "lobby", "isPrivate", false))
                    .body().get("id").asLong();

            JsonNode seen = run("hup", Map.of("base", "http://127.0.0.1:" + chat.port(), "master", chat.corral().pid(),
                    "messages", 40, "hupAt", 10));

            assertThat(seen.get("reconnects").asInt()).as("the reload closed the page's socket").isPositive();
            List<String> sent = seen.get("sent").valueStream().map(JsonNode::asString).toList();
            List<String> stored = log(alice, room).stream().map(e -> e.get("text").asString()).toList();
            assertThat(stored).as("every message typed, once each, in order").containsExactlyElementsOf(sent);
            assertThat(rows(seen.get("rows"))).extracting(Row::text).containsExactlyElementsOf(sent);
        }
    }

    @Test
    void everyFeatureFromTheScreenWithThreePeople() throws Exception {
        try (TestServer server = server()) {
            var alice = ChatClient.signUp(server.port(), "alice");
            var bob = ChatClient.signUp(server.port(), "bob");
            ChatClient.signUp(server.port(), "carol");
            long room = alice.call("POST", "/api/rooms", Map.of("name", "general", "isPrivate", false))
                    .body().get("id").asLong();
            long other = alice.call("POST", "/api/rooms", Map.of("name", "random", "isPrivate", false))
                    .body().get("id").asLong();
            bob.call("POST", "/api/rooms/" + room + "/join", null);
            bob.call("POST", "/api/rooms/" + other + "/join", null);

            JsonNode seen = run("features", Map.of("base", base(server), "room", room, "other", other,
                    "png", Base64.getEncoder().encodeToString(png()), "screenshots", screenshots()));

            assertThat(seen.get("composerFocused").asString()).as("opening a room puts the cursor in the box")
                    .isEqualTo("text");
            assertThat(seen.get("liveRegion").asString()).as("new messages are announced").isEqualTo("polite");
            assertThat(seen.get("multiline").asString()).isEqualTo("line one\nline two");
            assertThat(seen.get("injected").asBoolean()).as("markup in a message ran or rendered").isFalse();
            assertThat(seen.get("completed").asString()).isEqualTo("ping @alice ");
            assertThat(seen.get("mentionBadge").asString()).isEqualTo("@1");
            assertThat(seen.get("seenByAlice").asString()).isEqualTo("Seen by alice");
            assertThat(seen.get("previews").asInt()).isEqualTo(1);
            assertThat(seen.get("hits").asInt()).isEqualTo(1);
            assertThat(seen.get("membersShown").valueStream().map(JsonNode::asString))
                    .anyMatch(m -> m.startsWith("alice") && m.contains("owner")).anyMatch(m -> m.startsWith("carol"));
            assertThat(seen.get("carolRoomsAfterRemoval").valueStream().map(JsonNode::asString))
                    .noneMatch(r -> r.contains("secret"));
            assertThat(seen.get("carolLeft").asBoolean()).isTrue();
            assertThat(seen.get("bobSeesAuthors").valueStream().map(JsonNode::asString)).as("display names")
                    .contains("Alice Liddell", "bob").doesNotContain("alice");

            List<JsonNode> log = log(alice, room);
            var byText = new LinkedHashMap<String, JsonNode>();
            log.stream().filter(e -> e.get("kind").asString().equals("message") && e.get("text").isString())
                    .forEach(e -> byText.put(e.get("text").asString(), e));
            assertThat(byText.get("a reply").get("replyTo").asLong()).isEqualTo(byText.get("line one\nline two")
                    .get("seq").asLong());
            assertThat(byText.get("line one\nline two").get("reactions").get("👍").asInt()).isEqualTo(1);
            assertThat(byText.get("a typo here").get("editedAt").isNull()).isFalse();
            assertThat(byText.get("a typo here").get("reactions").get("❤️").asInt()).as("by keyboard").isEqualTo(1);
            assertThat(byText).doesNotContainKey("to be deleted");
            assertThat(log).anyMatch(e -> e.get("kind").asString().equals("message") && !e.get("deletedAt").isNull());
            assertThat(byText.get("a picture").get("attachments")).hasSize(1);
            List<Row> atDelete = rows(seen.get("bobAfterDelete"));
            assertThat(atDelete).as("bob's screen agreed with the log at that point (reactions came later)")
                    .extracting(Row::seq, Row::text, Row::deleted, Row::edited, Row::quote)
                    .containsExactlyElementsOf(expectedRows(log).subList(0, atDelete.size()).stream()
                            .map(r -> org.assertj.core.groups.Tuple.tuple(r.seq(), r.text(), r.deleted(), r.edited(),
                                    r.quote())).toList());
            assertThat(Path.of(screenshots(), "chat-desktop.png")).exists();
        }
    }

    @Test
    void fromAPhoneThereIsNoSidewaysScrollTheRoomsAreADrawerAndTheColoursAreReadable() throws Exception {
        try (TestServer server = server()) {
            var alice = ChatClient.signUp(server.port(), "alice");
            var bob = ChatClient.signUp(server.port(), "bob");
            long room = alice.call("POST", "/api/rooms", Map.of("name", "general", "isPrivate", false))
                    .body().get("id").asLong();
            long other = alice.call("POST", "/api/rooms", Map.of("name", "a room with a rather long name indeed",
                    "isPrivate", false)).body().get("id").asLong();
            bob.call("POST", "/api/rooms/" + room + "/join", null);
            bob.call("POST", "/api/rooms/" + room + "/messages", Map.of("text",
                    "a long line without spaces: " + "x".repeat(200) + " and a link https://example.com/a/b"));
            long seq = alice.call("POST", "/api/rooms/" + room + "/messages", Map.of("text", "hello @bob"))
                    .body().get("seq").asLong();
            bob.call("PUT", "/api/rooms/" + room + "/messages/" + seq + "/reactions/%F0%9F%91%8D", null);
            bob.call("POST", "/api/rooms/" + room + "/messages", Map.of("text", "a reply", "replyTo", seq));
            alice.call("POST", "/api/rooms/" + room + "/messages", Map.of("text", "@bob see above"));

            JsonNode seen = run("layout", Map.of("base", base(server), "room", room, "other", other,
                    "screenshots", screenshots()));

            for (String width : List.of("360", "390")) {
                for (String state : List.of("closed", "open")) {
                    JsonNode m = seen.get("widths").get(width).get(state);
                    assertThat(m.get("scrollWidth").asInt()).as(width + " px, drawer " + state + ": no sideways scroll")
                            .isLessThanOrEqualTo(m.get("innerWidth").asInt());
                    assertThat(m.get("sendRight").asDouble()).as("Send within reach")
                            .isLessThanOrEqualTo(m.get("innerWidth").asDouble());
                    assertThat(m.get("sendBottom").asDouble()).isLessThanOrEqualTo(m.get("innerHeight").asDouble());
                }
                assertThat(seen.get("widths").get(width).get("closed").get("sidebarRight").asDouble())
                        .as("the room list is off screen until asked for").isLessThanOrEqualTo(0);
                assertThat(seen.get("widths").get(width).get("title").asString()).contains("rather long name");
            }
            for (String scheme : List.of("light", "dark")) {
                JsonNode contrast = seen.get("contrast").get(scheme);
                assertThat(contrast.get("checked").asInt()).as(scheme).isGreaterThan(20);
                assertThat(contrast.get("failures").valueStream().map(JsonNode::toString))
                        .as(scheme + " theme: texts under WCAG AA contrast").isEmpty();
            }
            assertThat(Path.of(screenshots(), "chat-phone.png")).exists();
        }
    }

    @Test
    void oneSignInForEveryTabTheRoomAndPositionComeBackAndSignOutReachesEveryTab() throws Exception {
        try (TestServer server = server()) {
            var alice = ChatClient.signUp(server.port(), "alice");
            var bob = ChatClient.signUp(server.port(), "bob");
            long other = alice.call("POST", "/api/rooms", Map.of("name", "first", "isPrivate", false))
                    .body().get("id").asLong();
            long room = alice.call("POST", "/api/rooms", Map.of("name", "second", "isPrivate", false))
                    .body().get("id").asLong();
            bob.call("POST", "/api/rooms/" + other + "/join", null);
            for (int i = 1; i <= 120; i++) {
                alice.call("POST", "/api/rooms/" + room + "/messages", Map.of("text", "line " + i));
            }
            long position = messageSeq(log(alice, room), "line 90");

            JsonNode seen = run("remembers", Map.of("base", base(server), "room", room, "other", other,
                    "bob", bob.token(), "position", position));

            assertThat(seen.get("secondTabSignedIn").asString()).isEqualTo("alice");
            assertThat(seen.get("secondTabRoom").asString()).as("the last room, in a new tab too").contains("second");
            assertThat(seen.get("positionRestored").asBoolean()).isTrue();
            assertThat(seen.get("notification").get("title").asString()).isEqualTo("bob mentioned you in first");
            assertThat(seen.get("notification").get("body").asString()).isEqualTo("are you there @alice?");
            assertThat(seen.get("title").asString()).startsWith("(1) ");
            assertThat(seen.get("oldTokenStatus").asInt()).as("signed out for real").isEqualTo(401);
        }
    }

    @Test
    void theClientsScriptsStayWithinTheirBudget() throws Exception {
        long bytes;
        try (Stream<Path> files = Files.walk(CLIENT)) {
            bytes = files.filter(p -> p.toString().endsWith(".js")).mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(bytes).as("JavaScript bytes, uncompressed").isPositive().isLessThanOrEqualTo(SCRIPT_BUDGET);
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /** A row of the list, as the browser showed it or as the API's log says it should be. */
    record Row(long seq, String kind, String author, String text, boolean deleted, boolean edited,
               Set<String> reactions, String quote) {
    }

    private static List<Row> rows(JsonNode shown) {
        var rows = new ArrayList<Row>();
        for (JsonNode r : shown) {
            boolean note = r.get("kind").asString().equals("note");
            rows.add(new Row(r.get("seq").asLong(), r.get("kind").asString(), r.get("author").asString(),
                    note ? null : r.get("text").asString(), r.get("deleted").asBoolean(), r.get("edited").asBoolean(),
                    new TreeSet<>(r.get("reactions").valueStream().map(JsonNode::asString).toList()),
                    r.get("quote").isNull() ? null : r.get("quote").asString()));
        }
        return rows;
    }

    /** What the list must show for the log: messages and room changes, each with its current state. */
    private static List<Row> expectedRows(List<JsonNode> log) {
        var current = new HashMap<Long, JsonNode>();
        log.forEach(e -> current.put(e.get("seq").asLong(), e));
        var rows = new ArrayList<Row>();
        for (JsonNode e : log) {
            String kind = e.get("kind").asString();
            long seq = e.get("seq").asLong();
            if (Set.of("renamed", "archived", "unarchived").contains(kind)) {
                rows.add(new Row(seq, "note", e.get("username").asString(), null, false, false, Set.of(), null));
            }
            if (!kind.equals("message")) {
                continue;
            }
            boolean deleted = !e.get("deletedAt").isNull();
            var reactions = new TreeSet<String>();
            e.get("reactions").properties().forEach(p -> reactions.add(p.getKey() + " " + p.getValue().asInt()));
            String quote = null;
            if (!deleted && !e.get("replyTo").isNull()) {
                JsonNode quoted = current.get(e.get("replyTo").asLong());
                quote = quoted.get("username").asString() + (quoted.get("deletedAt").isNull()
                        ? quoted.get("text").asString() : "message deleted");
            }
            rows.add(new Row(seq, kind, e.get("username").asString(), deleted ? "message deleted"
                    : e.get("text").asString(), deleted, !deleted && !e.get("editedAt").isNull(),
                    deleted ? Set.of() : reactions, quote));
        }
        return rows;
    }

    /** The room's whole log through the API, oldest first. */
    private static List<JsonNode> log(ChatClient client, long room) throws Exception {
        var events = new ArrayList<JsonNode>();
        long after = 0;
        while (true) {
            JsonNode page = client.call("GET", "/api/rooms/" + room + "/messages?limit=200&after=" + after, null)
                    .body().get("events");
            if (page.isEmpty()) {
                return events;
            }
            page.forEach(events::add);
            after = events.getLast().get("seq").asLong();
        }
    }

    private static long messageSeq(List<JsonNode> log, String text) {
        return log.stream().filter(e -> text.equals(e.get("text").asString(null))).findFirst().orElseThrow()
                .get("seq").asLong();
    }

    private static TestServer server() throws Exception {
        var database = Map.of("DATABASE_URL", "jdbc:sqlite:" + Files.createTempDirectory("chat-") + "/chat.db");
        return ChatService.inProcess(database, Map.of("CHAT_LIMIT_POSTS", "off", "CHAT_LIMIT_REGISTRATIONS", "off"),
                new HashMap<>());
    }

    private static String base(TestServer server) {
        return "http://127.0.0.1:" + server.port();
    }

    private static String screenshots() throws Exception {
        return Files.createDirectories(Path.of("target/screenshots")).toAbsolutePath().toString();
    }

    private static byte[] png() throws Exception {
        var image = new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 48; x++) {
            for (int y = 0; y < 32; y++) {
                image.setRGB(x, y, x < 24 ? 0x2a55c9 : 0xe0453a);
            }
        }
        var bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    /** Runs one story of chat-client.mjs; fails with its output on an error, a page error or a console error. */
    private static JsonNode run(String story, Map<String, Object> args) throws Exception {
        Path node = RequiredService.require("node", "apt-get install nodejs npm");
        RequiredService.require("/usr/bin/chromium", "apt-get install chromium");
        if (!Files.isDirectory(SCRIPTS.resolve("node_modules/playwright-core"))) {
            RequiredService.require(SCRIPTS.resolve("node_modules/playwright-core").toAbsolutePath().toString(),
                    "npm ci --prefix chat/src/test/node");
        }
        Process browser = new ProcessBuilder(node.toString(), "chat-client.mjs", story,
                ChatClient.JSON.writeValueAsString(args)).directory(SCRIPTS.toFile()).redirectErrorStream(true).start();
        String output = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(browser.waitFor(240, TimeUnit.SECONDS)).as("the browser run finished").isTrue();
        String last = output.lines().reduce((a, b) -> b).orElse("{}");
        JsonNode seen = ChatClient.JSON.readTree(last.startsWith("{") ? last : "{\"error\": \"no result\"}");
        assertThat(seen.has("error")).as(seen.has("error") ? seen.get("error").asString()
                : output.substring(0, output.length() - last.length())).isFalse();
        assertThat(seen.get("consoleErrors").valueStream().map(JsonNode::asString)).as("console errors").isEmpty();
        return seen;
    }
}
