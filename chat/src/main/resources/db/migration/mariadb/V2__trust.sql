-- Corral Chat, version 2 (MariaDB / MySQL). The same changes as db/migration/sqlite/V2, in this dialect (an UPDATE
-- may not read its own table in a subquery here, so the purges join derived tables).
ALTER TABLE users ADD COLUMN username_key VARCHAR(160) NULL;
UPDATE users SET username_key = LOWER(username);
UPDATE users u JOIN (SELECT LOWER(username) AS k, MIN(id) AS keep_id FROM users GROUP BY LOWER(username)) d
    ON LOWER(u.username) = d.k
   SET u.username_key = CONCAT(d.k, '#', u.id)
 WHERE u.id <> d.keep_id;
CREATE UNIQUE INDEX users_by_key ON users (username_key);

ALTER TABLE tokens ADD COLUMN last_used_at BIGINT NOT NULL DEFAULT 0, ADD COLUMN agent VARCHAR(200) NULL;
UPDATE tokens SET last_used_at = UNIX_TIMESTAMP() * 1000;
CREATE INDEX tokens_by_user ON tokens (user_id);

ALTER TABLE events ADD COLUMN edited_at BIGINT NULL, ADD COLUMN deleted_at BIGINT NULL;
CREATE INDEX events_by_target ON events (room_id, target_seq);
CREATE INDEX events_by_user_time ON events (user_id, created_at);
CREATE INDEX rooms_by_owner_time ON rooms (owner_id, created_at);

UPDATE events m JOIN (SELECT room_id, target_seq, MIN(created_at) AS at FROM events WHERE kind = 'delete'
                      GROUP BY room_id, target_seq) d ON d.room_id = m.room_id AND d.target_seq = m.seq
   SET m.text = NULL, m.deleted_at = d.at
 WHERE m.kind = 'message';
UPDATE events e JOIN (SELECT room_id, target_seq FROM events WHERE kind = 'delete' GROUP BY room_id, target_seq) d
    ON d.room_id = e.room_id AND d.target_seq = e.target_seq
   SET e.text = NULL
 WHERE e.kind = 'edit';
UPDATE events m JOIN (SELECT room_id, target_seq, MAX(seq) AS last_seq, MAX(created_at) AS at FROM events
                      WHERE kind = 'edit' GROUP BY room_id, target_seq) l ON l.room_id = m.room_id AND l.target_seq = m.seq
                JOIN events e ON e.room_id = l.room_id AND e.seq = l.last_seq
   SET m.text = e.text, m.edited_at = l.at
 WHERE m.kind = 'message' AND m.deleted_at IS NULL;
UPDATE events e JOIN (SELECT room_id, target_seq, MAX(seq) AS last_seq FROM events WHERE kind = 'edit'
                      GROUP BY room_id, target_seq) l ON l.room_id = e.room_id AND l.target_seq = e.target_seq
   SET e.text = NULL
 WHERE e.kind = 'edit' AND e.seq < l.last_seq;

CREATE TABLE rate_hits (
    bucket VARCHAR(190) NOT NULL,
    at     BIGINT       NOT NULL,
    KEY rate_hits_by_bucket (bucket, at),
    KEY rate_hits_by_time (at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
