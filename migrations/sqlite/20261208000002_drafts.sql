-- drafts (Concepten): messages being written, saved as their writer types. Addresses are kept
-- as typed (JSON lists of {"name", "address"}); sending checks them. While a sent draft can
-- still be undone, `outbox_id` names its message; once it is sent the draft goes.
CREATE TABLE drafts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id       INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    to_list      TEXT    NOT NULL,
    cc_list      TEXT    NOT NULL,
    bcc_list     TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    -- The editor's document (ProseMirror JSON).
    body         TEXT    NOT NULL,
    template_id  INTEGER REFERENCES templates (id) ON DELETE SET NULL,
    -- The message it answers or forwards, and the headers the answer carries.
    reply_of     INTEGER REFERENCES messages (id) ON DELETE SET NULL,
    forward_of   INTEGER REFERENCES messages (id) ON DELETE SET NULL,
    in_reply_to  TEXT,
    refs         TEXT    NOT NULL DEFAULT '',
    outbox_id    INTEGER REFERENCES outbox (id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX drafts_by_user ON drafts (org_id, user_id, updated_at);
CREATE INDEX drafts_outbox ON drafts (outbox_id);

CREATE TABLE draft_files (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    draft_id      INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    bytes         BLOB    NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX draft_files_draft ON draft_files (draft_id, id);

-- The action type a message was sent as (E-mail uit).
ALTER TABLE outbox ADD COLUMN action_type_id INTEGER REFERENCES action_types (id) ON DELETE SET NULL;
