package io.corral.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.chat.message.Reactions;
import io.corral.testing.RawWebSocket;
import io.corral.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
 * Issue 21's features through the API, once per database ({@link SqliteChatFeaturesIT}, {@link MariaDbChatFeaturesIT}):
 * direct conversations, replies, reactions, mentions, search, rename and archive, read receipts, profiles, each
 * with its refusals. What crosses workers is in {@link ChatAcrossWorkersIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChatFeaturesContract {
    private static final int UPLOAD_MAX = 200 * 1024;
    private TestServer server;
    private int port;
    private java.nio.file.Path files;

    abstract Map<String, String> database() throws Exception;

    private Map<String, String> env;

    @BeforeAll
    void start() throws Exception {
        files = java.nio.file.Files.createTempDirectory("chat-files-");
        env = new HashMap<>();
        server = ChatService.inProcess(database(), Map.of("CHAT_DM_MAX_MEMBERS", "3", "CHAT_LIMIT_POSTS", "off",
                "CHAT_UPLOAD_MAX", "200KiB", "CHAT_FILES_DIR", files.toString()), env);
        port = server.port();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static String unique(String name) {
        return name + UUID.randomUUID().toString().substring(0, 6);
    }

    private ChatClient user(String name) throws Exception {
        return ChatClient.signUp(port, name);
    }

    private static String name(ChatClient client) throws Exception {
        return client.get("/api/me").body().get("username").asString();
    }

    private static long room(ChatClient owner, String name, boolean isPrivate) throws Exception {
        return owner.call("POST", "/api/rooms", Map.of("name", name, "isPrivate", isPrivate)).body().get("id").asLong();
    }

    private static JsonNode post(ChatClient client, long room, Object body) throws Exception {
        var reply = client.call("POST", "/api/rooms/" + room + "/messages", body);
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(201);
        return reply.body();
    }

    private static List<JsonNode> history(ChatClient client, long room) throws Exception {
        var events = new ArrayList<JsonNode>();
        client.get("/api/rooms/" + room + "/messages?limit=200").body().get("events").forEach(events::add);
        return events;
    }

    private static String reaction(long room, long seq, String emoji) {
        return "/api/rooms/" + room + "/messages/" + seq + "/reactions/" + URLEncoder.encode(emoji,
                StandardCharsets.UTF_8);
    }

    // --- direct conversations -------------------------------------------------------------------------------------

    @Test
    void aDirectConversationIsOnePerSetOfPeoplePrivateAndListedApart() throws Exception {
        String ann = unique("ann"), ben = unique("ben"), cat = unique("cat"), dan = unique("dan");
        var a = user(ann);
        var b = user(ben);
        var c = user(cat);
        user(dan);

        var opened = a.call("POST", "/api/dm", Map.of("usernames", List.of(ben)));
        assertThat(opened.status()).as(opened.body().toString()).isEqualTo(200);
        long dm = opened.body().get("id").asLong();
        assertThat(opened.body().get("kind").asString()).isEqualTo("direct");
        assertThat(opened.body().get("isPrivate").asBoolean()).isTrue();
        assertThat(a.call("POST", "/api/dm", Map.of("usernames", List.of(ben, ann))).body().get("id").asLong())
                .as("opened again, with the opener named too").isEqualTo(dm);
        assertThat(b.call("POST", "/api/dm", Map.of("usernames", List.of(ann.toUpperCase()))).body().get("id")
                .asLong()).as("opened by the other, the name in another case").isEqualTo(dm);

        var rooms = b.get("/api/rooms").body();
        assertThat(rooms.get("direct").toString()).contains("\"id\":" + dm).contains(ann, ben);
        assertThat(rooms.get("mine").toString()).doesNotContain("\"id\":" + dm + ",");
        assertThat(c.get("/api/rooms/" + dm).status()).as("a third person").isEqualTo(404);
        assertThat(c.call("POST", "/api/rooms/" + dm + "/join", null).status()).isEqualTo(404);
        post(b, dm, Map.of("text", "hi " + ann));
        assertThat(a.get("/api/rooms").body().get("direct").get(0).get("unread").asLong()).isEqualTo(1);
        assertThat(b.call("POST", "/api/rooms/" + dm + "/leave", null).status()).isEqualTo(204);
        a.call("POST", "/api/dm", Map.of("usernames", List.of(ben)));
        assertThat(b.get("/api/rooms/" + dm).status()).as("left, and not pulled back by the other").isEqualTo(404);
        assertThat(b.call("POST", "/api/dm", Map.of("usernames", List.of(ann))).body().get("id").asLong())
                .as("back when opening it again").isEqualTo(dm);
        assertThat(b.get("/api/rooms/" + dm + "/messages").body().get("events")).hasSize(1);

        assertThat(a.call("POST", "/api/rooms/" + dm + "/invite", Map.of("username", cat)).status())
                .as("members of a direct conversation are fixed").isEqualTo(403);
        assertThat(a.call("PATCH", "/api/rooms/" + dm, Map.of("name", "ours")).status()).isEqualTo(403);
        long group = a.call("POST", "/api/dm", Map.of("usernames", List.of(ben, cat))).body().get("id").asLong();
        assertThat(group).as("another set of people, another conversation").isNotEqualTo(dm);

        assertThat(a.call("POST", "/api/dm", Map.of("usernames", List.of(ben, cat, dan))).status())
                .as("past CHAT_DM_MAX_MEMBERS (3)").isEqualTo(422);
        var unknown = a.call("POST", "/api/dm", Map.of("usernames", List.of(unique("nobody"))));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.body().toString()).contains("no such user");
        assertThat(a.call("POST", "/api/dm", Map.of("usernames", List.of())).status()).isEqualTo(422);
        assertThat(a.send("POST", "/api/dm", "{\"usernames\": \"" + ben + "\"}").status()).isEqualTo(422);
    }

    // --- replies --------------------------------------------------------------------------------------------------

    @Test
    void aReplyQuotesItsMessageAsItIsNowAndRefusesWhatIsNotThere() throws Exception {
        var a = user(unique("ann"));
        long room = room(a, "replies", false);
        long other = room(a, "elsewhere", false);
        post(a, room, Map.of("text", "question?"));                                           // 1
        var reply = post(a, room, Map.of("text", "answer", "replyTo", 1));                    // 2
        assertThat(reply.get("replyTo").asLong()).isEqualTo(1);
        assertThat(reply.get("quote").get("text").asString()).isEqualTo("question?");

        a.call("PATCH", "/api/rooms/" + room + "/messages/1", Map.of("text", "better question?"));  // 3
        assertThat(history(a, room).get(1).get("quote").get("text").asString()).isEqualTo("better question?");
        a.call("DELETE", "/api/rooms/" + room + "/messages/1", null);                            // 4
        JsonNode quote = history(a, room).get(1).get("quote");
        assertThat(quote.get("deleted").asBoolean()).isTrue();
        assertThat(quote.get("text").isNull()).as("a deleted message's text is not quoted either").isTrue();

        for (Object target : List.of(1, 3, 99, 0, "x")) {
            var refused = a.call("POST", "/api/rooms/" + room + "/messages", Map.of("text", "re", "replyTo", target));
            assertThat(refused.status()).as("replyTo " + target).isEqualTo(422);
        }
        post(a, other, Map.of("text", "only here"));
        assertThat(a.call("POST", "/api/rooms/" + other + "/messages", Map.of("text", "re", "replyTo", 2))
                .status()).as("a seq of another room").isEqualTo(422);
    }

    // --- reactions ------------------------------------------------------------------------------------------------

    @Test
    void reactionsAreEventsWithCountsOnePerUserPerEmojiAndHistoryAgreesWithTheLog() throws Exception {
        var a = user(unique("ann"));
        var b = user(unique("ben"));
        var outsider = user(unique("out"));
        long room = room(a, "reactions", false);
        b.call("POST", "/api/rooms/" + room + "/join", null);
        post(a, room, Map.of("text", "react to me"));                                          // 1

        var first = a.call("PUT", reaction(room, 1, "👍"), null);                               // 2
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.body().get("kind").asString()).isEqualTo("react");
        assertThat(first.body().get("reactions").toString()).isEqualTo("{\"👍\":1}");
        assertThat(a.call("PUT", reaction(room, 1, "👍"), null).status()).as("the same twice").isEqualTo(204);
        b.call("PUT", reaction(room, 1, "👍"), null);                                          // 3
        var skin = b.call("PUT", reaction(room, 1, "👍🏽"), null);                               // 4
        assertThat(skin.body().get("reactions").toString()).isEqualTo("{\"👍\":2,\"👍🏽\":1}");
        var taken = a.call("DELETE", reaction(room, 1, "👍"), null);                           // 5
        assertThat(taken.status()).isEqualTo(200);
        assertThat(taken.body().get("kind").asString()).isEqualTo("unreact");
        assertThat(taken.body().get("reactions").toString()).isEqualTo("{\"👍\":1,\"👍🏽\":1}");
        assertThat(a.call("DELETE", reaction(room, 1, "👍"), null).status()).as("nothing to take back").isEqualTo(204);

        List<JsonNode> events = history(b, room);
        assertThat(events).hasSize(5);
        assertThat(events.getFirst().get("reactions").toString()).as("the message shows the counts now")
                .isEqualTo(events.getLast().get("reactions").toString());
        assertThat(events.stream().map(e -> e.get("seq").asLong()).toList()).containsExactly(1L, 2L, 3L, 4L, 5L);

        for (String bad : List.of("a", "👍👍", "1", "👍 ", "ok", "\u200D")) {
            assertThat(a.call("PUT", reaction(room, 1, bad), null).status()).as("emoji '" + bad + "'").isEqualTo(422);
        }
        assertThat(a.call("PUT", reaction(room, 1, "🇫🇷"), null).status()).as("a flag").isEqualTo(201);
        assertThat(a.call("PUT", reaction(room, 1, "👩‍💻"), null).status()).as("a joined sequence").isEqualTo(201);
        assertThat(outsider.call("PUT", reaction(room, 1, "👍"), null).status()).as("not a member").isEqualTo(403);
        long crowded = post(a, room, Map.of("text", "react a lot")).get("seq").asLong();
        for (int face = 0x1F600; face < 0x1F600 + Reactions.MAX_EMOJI_PER_MESSAGE; face++) {
            assertThat(a.call("PUT", reaction(room, crowded, Character.toString(face)), null).status()).isEqualTo(201);
        }
        assertThat(b.call("PUT", reaction(room, crowded, "🎉"), null).status()).as("one emoji too many")
                .isEqualTo(409);
        assertThat(b.call("PUT", reaction(room, crowded, "😀"), null).status()).as("one of those there")
                .isEqualTo(201);
        assertThat(a.call("PUT", reaction(room, 99, "👍"), null).status()).isEqualTo(404);
        assertThat(a.call("PUT", reaction(room, 2, "👍"), null).status()).as("a reaction event").isEqualTo(404);

        a.call("DELETE", "/api/rooms/" + room + "/messages/1", null);
        assertThat(history(a, room).getFirst().get("reactions").isNull()).as("deleted, its reactions go").isTrue();
        assertThat(history(a, room).subList(1, 5)).as("from its reaction events too")
                .allMatch(e -> e.get("text").isNull() && e.get("reactions").isNull());
        assertThat(b.call("PUT", reaction(room, 1, "👍"), null).status()).isEqualTo(404);
    }

    // --- mentions -------------------------------------------------------------------------------------------------

    @Test
    void mentionsReachNamedMembersOnlyAreCountedUntilReadAndFollowEditsAndDeletes() throws Exception {
        String ben = unique("ben"), cat = unique("cat"), dan = unique("dan");
        var a = user(unique("ann"));
        var b = user(ben);
        var c = user(cat);
        var d = user(dan);
        long room = room(a, "mentions", false);
        b.call("POST", "/api/rooms/" + room + "/join", null);
        d.call("POST", "/api/rooms/" + room + "/join", null);
        try (RawWebSocket bens = WorkerConnections.signedIn(port, b);
             RawWebSocket dans = WorkerConnections.signedIn(port, d)) {
            post(a, room, Map.of("text", "@" + ben.toUpperCase() + ", look. cc @" + cat + " a@" + dan + ".com"));
            JsonNode mention = WorkerConnections.next(bens, "mention");
            assertThat(mention.get("room").asLong()).isEqualTo(room);
            assertThat(mention.get("seq").asLong()).isEqualTo(1);
            assertThat(mention.get("text").asString()).startsWith("@");
            assertThat(mentions(b, room)).isEqualTo(1);
            assertThat(mentions(c, room)).as("not a member: no mention").isZero();
            assertThat(mentions(d, room)).as("an address is not a mention").isZero();

            a.call("PATCH", "/api/rooms/" + room + "/messages/1", Map.of("text", "@" + ben + " and @" + dan + "."));
            assertThat(WorkerConnections.next(dans, "mention").get("seq").asLong()).as("the edit's new name")
                    .isEqualTo(1);
            assertThat(mentions(b, room)).as("named again, counted once").isEqualTo(1);
            a.call("PATCH", "/api/rooms/" + room + "/messages/1", Map.of("text", "only @" + dan));
            assertThat(mentions(b, room)).as("an edit that drops a name drops its mention").isZero();
            assertThat(mentions(d, room)).isEqualTo(1);
        }
        b.call("POST", "/api/rooms/" + room + "/read", Map.of("seq", 2));
        assertThat(mentions(b, room)).as("read").isZero();
        a.call("DELETE", "/api/rooms/" + room + "/messages/1", null);
        assertThat(mentions(d, room)).as("the message deleted").isZero();
        post(a, room, Map.of("text", "@" + name(a) + " talking to myself"));
        assertThat(mentions(a, room)).as("no mention of oneself").isZero();
    }

    private static long mentions(ChatClient client, long room) throws Exception {
        for (JsonNode r : client.get("/api/rooms").body().get("mine")) {
            if (r.get("id").asLong() == room) {
                return r.get("mentions").asLong();
            }
        }
        return 0;
    }

    // --- search ---------------------------------------------------------------------------------------------------

    @Test
    void searchFindsCurrentTextInReadableRoomsNewestFirstInPages() throws Exception {
        String word = "zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        var a = user(unique("ann"));
        var b = user(unique("ben"));
        long open = room(a, "open", false);
        long secret = room(a, "secret", true);
        for (int i = 1; i <= 5; i++) {
            post(a, open, Map.of("text", "note " + i + " " + word));
        }
        post(a, secret, Map.of("text", "hidden " + word));
        post(a, open, Map.of("text", "Straße " + word + "done"));
        post(a, open, Map.of("text", "draft " + word + "old"));                                   // seq 7
        a.call("PATCH", "/api/rooms/" + open + "/messages/7", Map.of("text", "final " + word + "new"));
        post(a, open, Map.of("text", "gone " + word + "gone"));                                   // seq 9
        a.call("DELETE", "/api/rooms/" + open + "/messages/9", null);

        var seen = new ArrayList<String>();
        String next = null;
        int pages = 0;
        do {
            var page = b.get("/api/search?q=" + word + "&limit=3" + (next == null ? "" : "&before=" + next)).body();
            assertThat(page.get("hits").size()).isBetween(1, 3);
            page.get("hits").forEach(h -> seen.add(h.get("message").get("text").asString()));
            next = page.get("next").isNull() ? null : page.get("next").asString();
            pages++;
        } while (next != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).as("newest first; the private room not found by a non-member; purged text never")
                .containsExactly("final " + word + "new", "Straße " + word + "done", "note 5 " + word,
                        "note 4 " + word, "note 3 " + word, "note 2 " + word, "note 1 " + word);
        assertThat(a.get("/api/search?q=" + word + "&limit=50").body().get("hits")).as("the owner of the secret room")
                .hasSize(8);
        assertThat(b.get("/api/search?q=" + word + "old").body().get("hits")).as("an edit's replaced text").isEmpty();
        assertThat(b.get("/api/search?q=" + word + "gone").body().get("hits")).as("a deleted message").isEmpty();
        assertThat(b.get("/api/search?q=" + word.toUpperCase() + "&limit=50").body().get("hits"))
                .as("case-insensitive").hasSize(7);
        assertThat(b.get("/api/search?q=note+" + word).body().get("hits")).as("every word required").hasSize(5);
        assertThat(b.get("/api/search?q=%22%29%28*+-%5E").status()).as("only operators").isEqualTo(422);
        assertThat(b.get("/api/search?q=a").status()).as("a one-letter prefix: every message").isEqualTo(422);
        assertThat(b.get("/api/search?q=" + word + "+OR+NEAR%28x%29").body().get("hits"))
                .as("OR and NEAR are words here, all required, not operators").isEmpty();
        assertThat(b.get("/api/search?q=" + word + "&before=garbage").status()).isEqualTo(422);
        assertThat(b.get("/api/search?q=" + word + "&limit=0").status()).isEqualTo(422);
        assertThat(new ChatClient(port).get("/api/search?q=" + word).status()).isEqualTo(401);
    }

    /**
     * Must-show 3: 10,000 messages in three rooms, written straight into the tables (the API's speed is not what is
     * tested here), searched through the API by a member of two of them; then deletions and edits through the API.
     */
    @Test
    void searchOverTenThousandMessagesRespectsMembershipAndPurges() throws Exception {
        var a = user(unique("ann"));
        var stranger = user(unique("cat"));
        long open = room(a, "open", false);
        long mine = room(a, "mine", true);
        long theirs = room(stranger, "theirs", true);
        long userId = a.get("/api/me").body().get("id").asLong();
        String word = "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Map<Long, Integer> sizes = Map.of(open, 4000, mine, 3000, theirs, 3000);
        try (var c = java.sql.DriverManager.getConnection(env.get("DATABASE_URL"), env.get("DATABASE_USER"),
                env.get("DATABASE_PASSWORD"))) {
            c.setAutoCommit(false);
            try (var insert = c.prepareStatement("INSERT INTO events (room_id, seq, kind, user_id, text, created_at) "
                    + "VALUES (?, ?, 'message', ?, ?, ?)");
                 var last = c.prepareStatement("UPDATE rooms SET last_seq = ? WHERE id = ?")) {
                long at = System.currentTimeMillis() - 10_000_000L;
                for (var room : sizes.entrySet()) {
                    for (int seq = 1; seq <= room.getValue(); seq++) {
                        insert.setLong(1, room.getKey());
                        insert.setLong(2, seq);
                        insert.setLong(3, userId);
                        insert.setString(4, "message " + seq + " of room " + room.getKey()
                                + (seq % 10 == 0 ? " about " + word + " tag" + room.getKey() + "x" + seq : ""));
                        insert.setLong(5, at++);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    last.setLong(1, room.getValue());
                    last.setLong(2, room.getKey());
                    last.executeUpdate();
                }
            }
            c.commit();
        }
        assertThat(searchAll(a, word)).as("400 + 300 in the caller's rooms; none of the 300 in the other")
                .hasSize(700).allMatch(hit -> hit.startsWith(open + ":") || hit.startsWith(mine + ":"));
        assertThat(searchAll(stranger, word)).as("the other's own room and the public one").hasSize(700);
        assertThat(searchAll(a, "tag" + mine + "x2990")).containsExactly(mine + ":2990");

        for (int seq = 10; seq <= 50; seq += 10) {
            assertThat(a.call("DELETE", "/api/rooms/" + open + "/messages/" + seq, null).status()).isEqualTo(200);
            assertThat(a.call("PATCH", "/api/rooms/" + mine + "/messages/" + seq, Map.of("text", "redacted"))
                    .status()).isEqualTo(200);
        }
        var after = searchAll(a, word);
        assertThat(after).hasSize(690).doesNotContain(open + ":10", open + ":50", mine + ":10", mine + ":50")
                .contains(open + ":60", mine + ":60");
        assertThat(searchAll(a, "redacted")).hasSize(5);
    }

    /** Every hit of {@code query}, page by page, as "room:seq", newest first. */
    private static List<String> searchAll(ChatClient client, String query) throws Exception {
        var hits = new ArrayList<String>();
        String next = null;
        do {
            var page = client.get("/api/search?limit=50&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                    + (next == null ? "" : "&before=" + next)).body();
            page.get("hits").forEach(h -> hits.add(h.get("message").get("room").asLong() + ":"
                    + h.get("message").get("seq").asLong()));
            next = page.get("next").isNull() ? null : page.get("next").asString();
        } while (next != null);
        return hits;
    }

    // --- rename and archive ---------------------------------------------------------------------------------------

    @Test
    void theOwnerRenamesAndArchivesARoomAsEventsOfItsLogAndAnArchivedRoomIsReadOnly() throws Exception {
        var a = user(unique("ann"));
        var b = user(unique("ben"));
        long room = room(a, "before", false);
        b.call("POST", "/api/rooms/" + room + "/join", null);
        post(b, room, Map.of("text", "hello", "clientId", "hello-1"));                           // 1

        assertThat(b.call("PATCH", "/api/rooms/" + room, Map.of("name", "mine now")).status()).isEqualTo(403);
        var renamed = a.call("PATCH", "/api/rooms/" + room, Map.of("name", "after"));            // 2
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.body().get("name").asString()).isEqualTo("after");
        var archived = a.call("PATCH", "/api/rooms/" + room, Map.of("archived", true));           // 3
        assertThat(archived.body().get("archived").asBoolean()).isTrue();
        assertThat(b.call("POST", "/api/rooms/" + room + "/messages", Map.of("text", "late")).status())
                .isEqualTo(409);
        assertThat(b.call("PUT", reaction(room, 1, "👍"), null).status()).isEqualTo(409);
        var retry = b.call("POST", "/api/rooms/" + room + "/messages", Map.of("text", "hello", "clientId", "hello-1"));
        assertThat(retry.body().get("seq").asLong()).as("a retry of what was stored before: the first event back")
                .isEqualTo(1);
        assertThat(b.call("PATCH", "/api/rooms/" + room + "/messages/1", Map.of("text", "x")).status())
                .isEqualTo(409);
        assertThat(a.call("PATCH", "/api/rooms/" + room, Map.of("name", "renamed while archived")).status())
                .isEqualTo(409);
        assertThat(history(b, room)).as("still readable").hasSize(3);

        a.call("PATCH", "/api/rooms/" + room, Map.of("archived", false));                        // 4
        post(b, room, Map.of("text", "back"));                                                   // 5
        assertThat(history(b, room).stream().map(e -> e.get("kind").asString()).toList())
                .containsExactly("message", "renamed", "archived", "unarchived", "message");
        assertThat(history(b, room).get(1).get("text").asString()).isEqualTo("after");
        assertThat(a.call("PATCH", "/api/rooms/" + room, Map.of()).status()).isEqualTo(422);
        assertThat(a.call("PATCH", "/api/rooms/" + room, Map.of("name", " ")).status()).isEqualTo(422);
        assertThat(a.call("PATCH", "/api/rooms/" + room, Map.of("name", "after")).body().get("lastSeq").asLong())
                .as("the same name again: no event").isEqualTo(5);
        a.call("PATCH", "/api/rooms/" + room, Map.of("archived", true));                         // 6
        assertThat(b.call("DELETE", "/api/rooms/" + room + "/messages/5", null).status())
                .as("an author may still delete in an archived room").isEqualTo(200);
    }

    // --- read receipts and profiles -------------------------------------------------------------------------------

    @Test
    void readMarkersAreVisibleToMembersAndTheirMovesAreSentLive() throws Exception {
        var a = user(unique("ann"));
        var b = user(unique("ben"));
        long room = room(a, "receipts", false);
        b.call("POST", "/api/rooms/" + room + "/join", null);
        post(a, room, Map.of("text", "one"));
        post(a, room, Map.of("text", "two"));
        try (RawWebSocket annSocket = WorkerConnections.signedIn(port, a)) {
            annSocket.sendText("{\"type\": \"subscribe\", \"room\": " + room + ", \"after\": 2}");
            WorkerConnections.next(annSocket, "subscribed");
            b.call("POST", "/api/rooms/" + room + "/read", Map.of("seq", 2));
            JsonNode read = WorkerConnections.next(annSocket, "read");
            assertThat(read.get("username").asString()).isEqualTo(name(b));
            assertThat(read.get("seq").asLong()).isEqualTo(2);
        }
        var members = a.get("/api/rooms/" + room + "/members").body();
        for (JsonNode member : members) {
            if (member.get("username").asString().equals(name(b))) {
                assertThat(member.get("lastReadSeq").asLong()).isEqualTo(2);
            }
        }
    }

    @Test
    void aProfileHasADisplayNameAndPeopleCanBeFoundByName() throws Exception {
        String prefix = "pr" + UUID.randomUUID().toString().substring(0, 6);
        var a = user(prefix + "_ann");
        var b = user(prefix + "_ben");
        var changed = a.call("PATCH", "/api/me", Map.of("displayName", "  Ann Example  "));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body().get("displayName").asString()).isEqualTo("Ann Example");
        var profile = b.get("/api/users/" + prefix.toUpperCase() + "_ANN").body();
        assertThat(profile.get("displayName").asString()).isEqualTo("Ann Example");
        assertThat(profile.toString()).doesNotContain("password");
        assertThat(b.get("/api/users/" + prefix + "_nobody").status()).isEqualTo(404);
        assertThat(new ChatClient(port).get("/api/users/" + prefix + "_ann").status()).isEqualTo(401);
        var found = b.get("/api/users?q=" + prefix).body().get("users");
        assertThat(found).hasSize(2);
        assertThat(b.get("/api/users?q=" + prefix + "%25").body().get("users")).as("% is a character, not a wildcard")
                .isEmpty();
        assertThat(b.get("/api/users?q=").status()).isEqualTo(422);
        assertThat(a.call("PATCH", "/api/me", Map.of("displayName", "a\nb")).status()).isEqualTo(422);
        assertThat(a.call("PATCH", "/api/me", Map.of("displayName", "x".repeat(65))).status()).isEqualTo(422);
        long room = room(a, "profiles", false);
        assertThat(a.get("/api/rooms/" + room + "/members").body().get(0).get("displayName").asString())
                .isEqualTo("Ann Example");
    }

    // --- attachments and avatars ----------------------------------------------------------------------------------

    private static final byte[] PNG = java.util.HexFormat.of().parseHex("89504e470d0a1a0a0000000d49484452000000010000"
            + "00010806000000" + "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a0a3a1f40000000049454e44ae426082");

    private static String upload(long room, String name) {
        return "/api/rooms/" + room + "/attachments?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    private java.util.Set<String> storedFiles() throws Exception {
        try (var list = java.nio.file.Files.list(files)) {
            return list.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void anAttachmentIsUploadedSniffedAttachedDownloadedByMembersAndGoesWithItsMessage() throws Exception {
        var a = user(unique("ann"));
        var b = user(unique("ben"));
        var outsider = user(unique("out"));
        long room = room(a, "files", true);
        a.call("POST", "/api/rooms/" + room + "/invite", Map.of("username", name(b)));
        byte[] big = new byte[150 * 1024];
        new java.util.Random(1).nextBytes(big);

        var image = a.upload("POST", upload(room, "dot.png"), "application/octet-stream", PNG);
        assertThat(image.status()).as(String.valueOf(image.body())).isEqualTo(201);
        assertThat(image.body().get("contentType").asString()).isEqualTo("image/png");
        var script = a.upload("POST", upload(room, "../../evil.html"), "image/png",
                "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8));
        assertThat(script.body().get("contentType").asString()).as("sniffed, not declared")
                .isEqualTo("text/plain; charset=utf-8");
        assertThat(script.body().get("name").asString()).as("the last path segment only").isEqualTo("evil.html");
        var blob = a.upload("POST", upload(room, "rapport é.bin"), "text/plain", big);
        String blobId = blob.body().get("id").asString();
        assertThat(storedFiles()).as("a large file is a file, a small one a row").containsExactly(blobId);

        assertThat(b.download("/api/attachments/" + blobId).statusCode()).as("pending: its uploader's only")
                .isEqualTo(404);
        var refused = b.call("POST", "/api/rooms/" + room + "/messages", Map.of("text", "mine?", "attachments",
                List.of(blobId)));
        assertThat(refused.status()).as("another's upload").isEqualTo(422);
        var message = post(a, room, Map.of("attachments", List.of(image.body().get("id").asString(),
                script.body().get("id").asString(), blobId)));
        assertThat(message.get("text").asString()).as("files alone, no text").isEmpty();
        assertThat(message.get("attachments")).hasSize(3);
        assertThat(history(b, room).getFirst().get("attachments")).hasSize(3);
        assertThat(a.call("POST", "/api/rooms/" + room + "/messages", Map.of("text", "again", "attachments",
                List.of(blobId))).status()).as("attached already").isEqualTo(422);

        var downloaded = b.download("/api/attachments/" + blobId);
        assertThat(downloaded.statusCode()).isEqualTo(200);
        assertThat(downloaded.body()).isEqualTo(big);
        assertThat(downloaded.headers().firstValue("Content-Disposition").orElseThrow())
                .startsWith("attachment;").contains("filename*=UTF-8''rapport%20%C3%A9.bin");
        assertThat(downloaded.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        var html = b.download("/api/attachments/" + script.body().get("id").asString());
        assertThat(html.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(html.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment;");
        var png = b.download("/api/attachments/" + image.body().get("id").asString());
        assertThat(png.body()).isEqualTo(PNG);
        assertThat(png.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("inline;");
        assertThat(outsider.download("/api/attachments/" + blobId).statusCode()).isEqualTo(404);
        assertThat(new ChatClient(port).download("/api/attachments/" + blobId).statusCode()).isEqualTo(401);
        assertThat(outsider.upload("POST", upload(room, "x.txt"), "text/plain", new byte[10]).status())
                .isEqualTo(404);

        a.call("DELETE", "/api/rooms/" + room + "/messages/1", null);
        assertThat(b.download("/api/attachments/" + blobId).statusCode()).isEqualTo(404);
        assertThat(storedFiles()).as("the deleted message's file").doesNotContain(blobId);
        assertThat(history(b, room).getFirst().get("attachments").isNull()).isTrue();
    }

    @Test
    void anUploadOverTheLimitOrBadlyNamedIsRefusedAndLeavesNothing() throws Exception {
        var a = user(unique("ann"));
        long room = room(a, "limits", false);
        var before = storedFiles();
        assertThat(a.upload("POST", upload(room, "big.bin"), "application/octet-stream", new byte[UPLOAD_MAX + 1])
                .status()).isEqualTo(413);
        var atLimit = a.upload("POST", upload(room, "max.bin"), "application/octet-stream", new byte[UPLOAD_MAX]);
        assertThat(atLimit.status()).isEqualTo(201);
        assertThat(atLimit.body().get("size").asLong()).isEqualTo(UPLOAD_MAX);
        assertThat(storedFiles()).as("only the one at the limit").hasSize(before.size() + 1)
                .noneMatch(f -> f.endsWith(".partial"));
        assertThat(a.upload("POST", "/api/rooms/" + room + "/attachments", "text/plain", new byte[1]).status())
                .as("no name").isEqualTo(422);
        assertThat(a.upload("POST", upload(room, "a\u0007b"), "text/plain", new byte[1]).status()).isEqualTo(422);
        var other = user(unique("ben"));
        assertThat(other.upload("POST", upload(room, "x.txt"), "text/plain", new byte[1]).status())
                .as("not a member of the public room").isEqualTo(403);
    }

    @Test
    void anAvatarIsAnImageAnyoneSignedInCanSee() throws Exception {
        var a = user(unique("ann"));
        var b = user(unique("ben"));
        var set = a.upload("PUT", "/api/me/avatar", "image/png", PNG);
        assertThat(set.status()).isEqualTo(200);
        String avatar = set.body().get("avatar").asString();
        assertThat(b.get("/api/users/" + name(a)).body().get("avatar").asString()).isEqualTo(avatar);
        assertThat(b.download(avatar).body()).isEqualTo(PNG);
        assertThat(a.upload("PUT", "/api/me/avatar", "image/png", "not an image".getBytes()).status())
                .isEqualTo(415);
        assertThat(b.get("/api/users/" + name(a)).body().get("avatar").asString()).as("the old one stays")
                .isEqualTo(avatar);
        assertThat(a.call("DELETE", "/api/me/avatar", null).status()).isEqualTo(204);
        assertThat(b.get("/api/users/" + name(a)).body().get("avatar").isNull()).isTrue();
        assertThat(b.download(avatar).statusCode()).isEqualTo(404);

        String again = a.upload("PUT", "/api/me/avatar", "image/png", PNG).body().get("avatar").asString();
        assertThat(a.call("DELETE", "/api/me", Map.of("password", "password-" + name(a))).status()).isEqualTo(204);
        assertThat(b.download(again).statusCode()).as("a removed account's avatar goes with it").isEqualTo(404);
    }
}
