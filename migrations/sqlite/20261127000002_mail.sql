-- Mail in: IMAP accounts, their folders, messages stored once per organisation, where each
-- message sits on the server, and the full-text index. Times are Unix milliseconds.

CREATE TABLE mailboxes (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id           INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id          INTEGER NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    host             TEXT    NOT NULL,
    port             INTEGER NOT NULL,
    tls              TEXT    NOT NULL CHECK (tls IN ('tls', 'starttls', 'none')),
    login            TEXT    NOT NULL,
    -- The password, sealed with the installation's secret key (never stored in the clear).
    password_sealed  BLOB    NOT NULL,
    since_date       TEXT,
    enabled          BOOLEAN NOT NULL DEFAULT TRUE,
    -- Background sync runs where the lease is held: one instance per mailbox at a time.
    lease_owner      TEXT,
    lease_until      INTEGER NOT NULL DEFAULT 0,
    -- Set when a user asks for a sync now; the holder of the lease picks it up.
    wake_at          INTEGER NOT NULL DEFAULT 0,
    last_success_at  INTEGER,
    last_error       TEXT,
    last_error_at    INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX mailboxes_lease ON mailboxes (lease_until);

CREATE TABLE mail_folders (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    mailbox_id       INTEGER NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    role             TEXT    NOT NULL CHECK (role IN ('inbox', 'sent', 'trash')),
    name             TEXT    NOT NULL,
    uid_validity     INTEGER NOT NULL DEFAULT 0,
    -- First sync goes newest first: every UID in [uid_low, uid_top) is stored. Later syncs
    -- fetch from uid_top up.
    uid_top          INTEGER NOT NULL DEFAULT 0,
    uid_low          INTEGER,
    first_sync_done  BOOLEAN NOT NULL DEFAULT FALSE,
    highest_modseq   INTEGER,
    on_server        INTEGER NOT NULL DEFAULT 0,
    last_success_at  INTEGER,
    last_error       TEXT,
    UNIQUE (mailbox_id, role)
);

CREATE TABLE messages (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id             INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    -- Recognises one message in several folders or mailboxes (see the mail engine).
    dedupe_key         TEXT    NOT NULL,
    content_hash       TEXT    NOT NULL,
    header_message_id  TEXT,
    thread_key         TEXT    NOT NULL,
    subject            TEXT    NOT NULL,
    sent_at            INTEGER,
    sort_at            INTEGER NOT NULL,
    from_email         TEXT,
    from_name          TEXT,
    snippet            TEXT    NOT NULL,
    attachment_count   INTEGER NOT NULL,
    size               INTEGER NOT NULL,
    -- The RFC 5322 bytes, zstd-compressed.
    raw                BLOB    NOT NULL,
    created_at         INTEGER NOT NULL,
    UNIQUE (org_id, dedupe_key)
);
CREATE INDEX messages_thread ON messages (org_id, thread_key, sort_at);

-- From, To, Cc, Reply-To (and Bcc of sent mail). A message is linked to the contact persons whose
-- addresses appear here (except Bcc): linking is a join, so a new contact person or a new address
-- on a person picks up all earlier mail at once.
CREATE TABLE message_addresses (
    message_id  INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    org_id      INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    email       TEXT    NOT NULL,
    name        TEXT,
    PRIMARY KEY (message_id, kind, position)
);
CREATE INDEX message_addresses_lookup ON message_addresses (org_id, email, message_id);

-- Where a message sits on the server: a UID in a folder, with its flags there.
CREATE TABLE mail_locations (
    folder_id   INTEGER NOT NULL REFERENCES mail_folders (id) ON DELETE CASCADE,
    uid         INTEGER NOT NULL,
    message_id  INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    seen        BOOLEAN NOT NULL,
    flagged     BOOLEAN NOT NULL,
    modseq      INTEGER,
    sort_at     INTEGER NOT NULL,
    PRIMARY KEY (folder_id, uid)
);
CREATE INDEX mail_locations_message ON mail_locations (message_id);
CREATE INDEX mail_locations_list ON mail_locations (folder_id, sort_at, uid);

-- Marked private by its owner: colleagues do not see it, not even on a relation.
CREATE TABLE private_messages (
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message_id  INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, message_id)
);
CREATE INDEX private_messages_message ON private_messages (message_id);

-- Full-text index over subject, body text and addresses, folded to ASCII. Contentless: the
-- text lives in the raw message; rowid = messages.id.
CREATE VIRTUAL TABLE messages_fts USING fts5 (
    subject, body, addresses,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
