-- Mail privacy: every copy of a message is stored by its own bytes, each user is served their
-- own; colleagues see a message through its counterparty only; who linked which address to a
-- contact person is logged.

-- Recognises copies of one message (the Sent copy, a colleague's delivered copy) that read
-- alike: digest of the displayed headers and the body. NULL for rows stored before it existed.
ALTER TABLE messages ADD COLUMN display_key TEXT;
-- Stored without its body: larger than the configured per-message cap (the size column holds
-- what the server reported).
ALTER TABLE messages ADD COLUMN truncated BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX messages_display ON messages (org_id, display_key);

-- Until now a message's row was shared by every mailbox that held a message with the same
-- Message-ID, sender, date and subject, with the bytes of whichever copy came first. Those rows
-- are given up: their locations go, and the next sync pass fetches each user's own copy (the
-- folders' counts no longer match, so the pass compares UIDs). A private mark on such a row is
-- carried over to the marking user's copy by its Message-ID when it comes back.
CREATE TABLE private_carry (
    user_id            INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    header_message_id  TEXT    NOT NULL,
    PRIMARY KEY (user_id, header_message_id)
);
CREATE TEMPORARY TABLE shared_messages AS
    SELECT l.message_id AS id FROM mail_locations l JOIN mail_folders f ON f.id = l.folder_id
    GROUP BY l.message_id HAVING COUNT(DISTINCT f.mailbox_id) > 1;
INSERT INTO private_carry (user_id, header_message_id)
    SELECT DISTINCT pm.user_id, m.header_message_id
    FROM private_messages pm JOIN messages m ON m.id = pm.message_id
    WHERE m.header_message_id IS NOT NULL AND m.id IN (SELECT id FROM shared_messages);
DELETE FROM mail_locations WHERE message_id IN (SELECT id FROM shared_messages);
DELETE FROM messages WHERE id IN (SELECT id FROM shared_messages);
DELETE FROM messages_fts WHERE rowid IN (SELECT id FROM shared_messages);
DROP TABLE shared_messages;
-- The key is now the copy's bytes.
UPDATE messages SET dedupe_key = 'h:' || content_hash;

-- IMAP logins are compared with message addresses (the organisation's own addresses).
CREATE INDEX mailboxes_org_login ON mailboxes (org_id, lower(login));

-- Who added or removed which address of a contact person, when and how (SuperAdmins read it
-- under Beheer → Gebruikers → Adreskoppelingen). Names are copied: the log outlives them.
CREATE TABLE address_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id       INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    at           INTEGER NOT NULL,
    user_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    user_name    TEXT,
    person_id    INTEGER,
    person_name  TEXT    NOT NULL,
    email        TEXT    NOT NULL,
    added        BOOLEAN NOT NULL,
    -- 'relation' (the relation form or the API), 'mail' (linked from a message), 'phone'
    -- (CardDAV), 'system' (demo data, command line).
    source       TEXT    NOT NULL
);
CREATE INDEX address_log_org ON address_log (org_id, at DESC, id DESC);
CREATE INDEX address_log_email ON address_log (org_id, email);
