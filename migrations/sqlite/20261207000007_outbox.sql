-- Mail out. Times are Unix milliseconds.
--
-- smtp_accounts: a user's own SMTP server (Beheer → Gebruikersinstellingen → E-mail), next to
-- the IMAP mailbox. Without one, mail goes through the operator's relay when the organisation
-- has an active sending domain.
CREATE TABLE smtp_accounts (
    user_id          INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    org_id           INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    host             TEXT    NOT NULL,
    port             INTEGER NOT NULL,
    tls              TEXT    NOT NULL CHECK (tls IN ('tls', 'starttls', 'none')),
    -- Empty: no AUTH.
    login            TEXT    NOT NULL,
    -- The password, sealed with the installation's secret key (never stored in the clear).
    password_sealed  BLOB,
    updated_at       INTEGER NOT NULL
);

-- outbox (Postvak UIT): every message written in Postkamer, as the exact bytes that are sent
-- (signed when its From domain is an active sending domain), so a retry sends the same bytes
-- with the same Message-ID. A `mail.send` job per message does the sending.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id           INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Without the angle brackets.
    message_id       TEXT    NOT NULL,
    envelope_from    TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    -- JSON: [{"address", "state": open|accepted|refused, "reply"}], To, Cc and Bcc.
    recipients       TEXT    NOT NULL,
    raw              BLOB    NOT NULL,
    -- "key001 example.nl" when signed, NULL when sent unsigned.
    signed_with      TEXT,
    state            TEXT    NOT NULL DEFAULT 'wachtrij' CHECK (state IN
                       ('wachtrij', 'verzenden', 'verzonden', 'mislukt', 'geweigerd', 'geannuleerd')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    -- The last failure in plain Dutch.
    last_error       TEXT,
    -- The next attempt when it failed for now; NULL when it failed for good.
    retry_at         INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    sent_at          INTEGER,
    UNIQUE (org_id, message_id)
);
CREATE INDEX outbox_by_user ON outbox (org_id, user_id, id);
