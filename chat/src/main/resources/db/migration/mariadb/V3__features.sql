-- Corral Chat, version 3 (MariaDB / MySQL). The same changes as db/migration/sqlite/V3, in this dialect. Search is
-- InnoDB's FULLTEXT index on the message text, under a case-insensitive collation (utf8mb4_bin would make it match
-- case-sensitively); the text is never compared otherwise.
ALTER TABLE rooms ADD COLUMN kind VARCHAR(8) NOT NULL DEFAULT 'room', ADD COLUMN direct_key VARCHAR(190) NULL,
    ADD COLUMN archived_at BIGINT NULL, ADD UNIQUE KEY rooms_by_direct_key (direct_key);

ALTER TABLE events ADD COLUMN reply_to BIGINT NULL, ADD COLUMN reactions TEXT NULL,
    MODIFY text TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci NULL;
ALTER TABLE events ADD FULLTEXT INDEX message_search (text);

CREATE TABLE reactions (
    room_id BIGINT      NOT NULL,
    seq     BIGINT      NOT NULL,
    user_id BIGINT      NOT NULL,
    emoji   VARCHAR(32) NOT NULL,
    PRIMARY KEY (room_id, seq, user_id, emoji)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE mentions (
    user_id BIGINT NOT NULL,
    room_id BIGINT NOT NULL,
    seq     BIGINT NOT NULL,
    PRIMARY KEY (user_id, room_id, seq),
    KEY mentions_by_message (room_id, seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

ALTER TABLE users ADD COLUMN display_name VARCHAR(64) NULL;

CREATE TABLE attachments (
    id           CHAR(22)     NOT NULL PRIMARY KEY,
    room_id      BIGINT       NULL,
    user_id      BIGINT       NOT NULL,
    seq          BIGINT       NULL,
    name         VARCHAR(255) NOT NULL,
    content_type VARCHAR(64)  NOT NULL,
    size         BIGINT       NOT NULL,
    sha256       CHAR(64)     NOT NULL,
    data         MEDIUMBLOB   NULL,
    created_at   BIGINT       NOT NULL,
    KEY attachments_by_message (room_id, seq),
    KEY attachments_by_user_time (user_id, created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
ALTER TABLE users ADD COLUMN avatar_id CHAR(22) NULL;
