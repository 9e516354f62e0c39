-- Corral Chat, version 2 (SQLite): names unique regardless of case, sessions that expire and can be listed,
-- deletions and edits that purge the text they replace, limits shared by every worker.

-- username_key: the name NFKC-normalized and case folded (io.corral.chat.text.Usernames.key). Accounts made before
-- this version were ASCII, where folding is lower(); names that differed only by case keep their accounts, the
-- later ones under a key that no new name can take ('#' is not allowed in names).
ALTER TABLE users ADD COLUMN username_key TEXT;
UPDATE users SET username_key = lower(username);
UPDATE users SET username_key = username_key || '#' || id
 WHERE EXISTS (SELECT 1 FROM users o WHERE lower(o.username) = lower(users.username) AND o.id < users.id);
CREATE UNIQUE INDEX users_by_key ON users (username_key);

-- A session lives while it is used: last_used_at slides its expiry (CHAT_SESSION_LIFETIME).
ALTER TABLE tokens ADD COLUMN last_used_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tokens ADD COLUMN agent TEXT;
-- Counted from the upgrade: how long ago a session was last used, version 1 did not record.
UPDATE tokens SET last_used_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000;
CREATE INDEX tokens_by_user ON tokens (user_id);

-- A message row holds its current text (edited_at when an edit replaced it) or none (deleted_at); edit events keep
-- the text they brought only while it is current. The events themselves stay, so sequence numbers keep no gap.
ALTER TABLE events ADD COLUMN edited_at INTEGER;
ALTER TABLE events ADD COLUMN deleted_at INTEGER;
-- Partial: only edits and deletions name a target, so posting a message leaves this index alone.
CREATE INDEX events_by_target ON events (room_id, target_seq) WHERE target_seq IS NOT NULL;
CREATE INDEX events_by_user_time ON events (user_id, created_at);
CREATE INDEX rooms_by_owner_time ON rooms (owner_id, created_at);

-- Purge what earlier versions kept: deleted messages' texts, and every text an edit superseded.
UPDATE events SET text = NULL,
       deleted_at = (SELECT MIN(d.created_at) FROM events d WHERE d.room_id = events.room_id AND d.kind = 'delete'
                     AND d.target_seq = events.seq)
 WHERE kind = 'message' AND EXISTS (SELECT 1 FROM events d WHERE d.room_id = events.room_id AND d.kind = 'delete'
                                    AND d.target_seq = events.seq);
UPDATE events SET text = NULL
 WHERE kind = 'edit' AND EXISTS (SELECT 1 FROM events d WHERE d.room_id = events.room_id AND d.kind = 'delete'
                                 AND d.target_seq = events.target_seq);
UPDATE events SET
       text = (SELECT e.text FROM events e WHERE e.room_id = events.room_id AND e.kind = 'edit'
               AND e.target_seq = events.seq ORDER BY e.seq DESC LIMIT 1),
       edited_at = (SELECT MAX(e.created_at) FROM events e WHERE e.room_id = events.room_id AND e.kind = 'edit'
                    AND e.target_seq = events.seq)
 WHERE kind = 'message' AND deleted_at IS NULL
   AND EXISTS (SELECT 1 FROM events e WHERE e.room_id = events.room_id AND e.kind = 'edit'
               AND e.target_seq = events.seq);
UPDATE events SET text = NULL
 WHERE kind = 'edit' AND seq < (SELECT MAX(e.seq) FROM events e WHERE e.room_id = events.room_id AND e.kind = 'edit'
                                AND e.target_seq = events.target_seq);

-- Times of limited actions that leave no other row (failed logins, registrations), per bucket.
CREATE TABLE rate_hits (
    bucket TEXT    NOT NULL,
    at     INTEGER NOT NULL
);
CREATE INDEX rate_hits_by_bucket ON rate_hits (bucket, at);
CREATE INDEX rate_hits_by_time ON rate_hits (at);
