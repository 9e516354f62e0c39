-- Corral Chat, version 1 (MariaDB / MySQL). The same tables as db/migration/sqlite, in this dialect.
CREATE TABLE users (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    username      VARCHAR(32)  NOT NULL UNIQUE,
    password_hash VARCHAR(255) NOT NULL,
    created_at    BIGINT       NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE tokens (
    token_hash CHAR(64) NOT NULL PRIMARY KEY,
    user_id    BIGINT   NOT NULL,
    created_at BIGINT   NOT NULL,
    FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE rooms (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name       VARCHAR(64)  NOT NULL,
    private    BOOLEAN      NOT NULL,
    owner_id   BIGINT       NOT NULL,
    last_seq   BIGINT       NOT NULL DEFAULT 0,
    created_at BIGINT       NOT NULL,
    FOREIGN KEY (owner_id) REFERENCES users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE members (
    room_id       BIGINT      NOT NULL,
    user_id       BIGINT      NOT NULL,
    role          VARCHAR(16) NOT NULL,
    last_read_seq BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (room_id, user_id),
    KEY members_by_user (user_id),
    FOREIGN KEY (room_id) REFERENCES rooms (id),
    FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE events (
    room_id    BIGINT      NOT NULL,
    seq        BIGINT      NOT NULL,
    kind       VARCHAR(16) NOT NULL,
    target_seq BIGINT,
    user_id    BIGINT      NOT NULL,
    text       TEXT,
    client_id  VARCHAR(64),
    created_at BIGINT      NOT NULL,
    PRIMARY KEY (room_id, seq),
    UNIQUE KEY events_by_client_id (room_id, user_id, client_id),
    FOREIGN KEY (room_id) REFERENCES rooms (id),
    FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
