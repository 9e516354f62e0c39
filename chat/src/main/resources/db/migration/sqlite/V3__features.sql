-- Corral Chat, version 3 (SQLite): direct conversations, archived rooms, replies, reactions, mentions, display names,
-- and full-text search.

-- kind: 'room' or 'direct'; direct_key: a direct conversation's member ids, sorted and joined by ',' (one
-- conversation per set of people: opening it twice finds the first). archived_at: read-only since then.
ALTER TABLE rooms ADD COLUMN kind TEXT NOT NULL DEFAULT 'room';
ALTER TABLE rooms ADD COLUMN direct_key TEXT;
ALTER TABLE rooms ADD COLUMN archived_at INTEGER;
CREATE UNIQUE INDEX rooms_by_direct_key ON rooms (direct_key);

-- reply_to: the seq of the message a message answers. reactions: on a message row its current counts, on a
-- reaction event the counts it left; JSON ({"👍": 2}).
ALTER TABLE events ADD COLUMN reply_to INTEGER;
ALTER TABLE events ADD COLUMN reactions TEXT;

CREATE TABLE reactions (
    room_id INTEGER NOT NULL,
    seq     INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    emoji   TEXT    NOT NULL,
    PRIMARY KEY (room_id, seq, user_id, emoji)
);

-- Who a message names with @username (members only). Counted as unread while seq > the member's read marker.
CREATE TABLE mentions (
    user_id INTEGER NOT NULL,
    room_id INTEGER NOT NULL,
    seq     INTEGER NOT NULL,
    PRIMARY KEY (user_id, room_id, seq)
);
CREATE INDEX mentions_by_message ON mentions (room_id, seq);

ALTER TABLE users ADD COLUMN display_name TEXT;

-- The current text of every message that has one, kept by the triggers below: an edit replaces it, a deletion
-- removes it (secure-delete: from the index's pages too, not only from its answers). The rowid is room_id * 2^32 +
-- seq: events' own rowid may change in a VACUUM, this one cannot.
-- prefix: indexes of 2- and 3-character prefixes, so a short word prefix is a lookup, not a scan of every term.
CREATE VIRTUAL TABLE message_search USING fts5 (text, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
INSERT INTO message_search (message_search, rank) VALUES ('secure-delete', 1);
INSERT INTO message_search (rowid, text)
SELECT room_id * 4294967296 + seq, text FROM events WHERE kind = 'message' AND text IS NOT NULL;
CREATE TRIGGER message_search_insert AFTER INSERT ON events WHEN new.kind = 'message' AND new.text IS NOT NULL
BEGIN
    INSERT INTO message_search (rowid, text) VALUES (new.room_id * 4294967296 + new.seq, new.text);
END;
CREATE TRIGGER message_search_update AFTER UPDATE OF text ON events WHEN new.kind = 'message'
BEGIN
    DELETE FROM message_search WHERE rowid = old.room_id * 4294967296 + old.seq;
    INSERT INTO message_search (rowid, text)
    SELECT new.room_id * 4294967296 + new.seq, new.text WHERE new.text IS NOT NULL;
END;

-- Files people attach to messages (and avatars: room_id null). A small file's bytes are in data; a larger one is the
-- file named id under CHAT_FILES_DIR. seq: the message it belongs to, null while uploaded but not yet attached.
CREATE TABLE attachments (
    id           TEXT    PRIMARY KEY,
    room_id      INTEGER,
    user_id      INTEGER NOT NULL,
    seq          INTEGER,
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    data         BLOB,
    created_at   INTEGER NOT NULL
);
CREATE INDEX attachments_by_message ON attachments (room_id, seq);
CREATE INDEX attachments_by_user_time ON attachments (user_id, created_at);
ALTER TABLE users ADD COLUMN avatar_id TEXT;
