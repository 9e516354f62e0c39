-- Corral Chat, version 1 (SQLite). Times are milliseconds since the epoch; names are checked by the app.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);

-- Session tokens are stored as SHA-256 hashes: a copy of this table logs nobody in.
CREATE TABLE tokens (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL
);

-- last_seq: the room's latest event sequence number, bumped inside each event's insert transaction.
CREATE TABLE rooms (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL,
    private    INTEGER NOT NULL,
    owner_id   INTEGER NOT NULL REFERENCES users (id),
    last_seq   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE members (
    room_id       INTEGER NOT NULL REFERENCES rooms (id),
    user_id       INTEGER NOT NULL REFERENCES users (id),
    role          TEXT    NOT NULL,
    last_read_seq INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (room_id, user_id)
);
CREATE INDEX members_by_user ON members (user_id);

-- A room's events in one gapless sequence: messages, edits and deletions (target_seq names the message).
CREATE TABLE events (
    room_id    INTEGER NOT NULL REFERENCES rooms (id),
    seq        INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    target_seq INTEGER,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    text       TEXT,
    client_id  TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (room_id, seq)
);
CREATE UNIQUE INDEX events_by_client_id ON events (room_id, user_id, client_id);
