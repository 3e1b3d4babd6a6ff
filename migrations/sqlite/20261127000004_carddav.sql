-- Relation sync (CardDAV): who syncs, the cards phones made, app passwords, devices, and the
-- change log that sync tokens count on.

ALTER TABLE users ADD COLUMN carddav_enabled BOOLEAN NOT NULL DEFAULT FALSE;

-- The resource name a phone chose for a card it created (NULL: the person's uid), and the
-- phone's last full vCard (4.0): what the CRM does not model is returned from it.
ALTER TABLE persons ADD COLUMN card_name TEXT;
ALTER TABLE persons ADD COLUMN card_original TEXT;
CREATE UNIQUE INDEX persons_card_name ON persons (org_id, card_name) WHERE card_name IS NOT NULL;
CREATE INDEX persons_synced ON persons (org_id, id) WHERE synchroniseren;

-- One counter per organisation's address book. Writers take its row (serialising them per
-- organisation), so change numbers become visible in order: a sync token never skips a change
-- that commits later.
CREATE TABLE card_books (
    org_id  INTEGER PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE card_changes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id     INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    person_id  INTEGER NOT NULL,
    card_name  TEXT    NOT NULL,
    removed    BOOLEAN NOT NULL,
    changed_at INTEGER NOT NULL
);
CREATE INDEX card_changes_org ON card_changes (org_id, seq);

CREATE TRIGGER persons_card_insert AFTER INSERT ON persons WHEN NEW.synchroniseren
BEGIN
    INSERT INTO card_books (org_id) VALUES (NEW.org_id) ON CONFLICT DO NOTHING;
    UPDATE card_books SET seq = seq + 1 WHERE org_id = NEW.org_id;
    INSERT INTO card_changes (org_id, seq, person_id, card_name, removed, changed_at)
    SELECT NEW.org_id, seq, NEW.id, COALESCE(NEW.card_name, NEW.uid), FALSE, NEW.updated_at
    FROM card_books WHERE org_id = NEW.org_id;
END;

CREATE TRIGGER persons_card_update AFTER UPDATE ON persons
WHEN OLD.synchroniseren OR NEW.synchroniseren
BEGIN
    INSERT INTO card_books (org_id) VALUES (NEW.org_id) ON CONFLICT DO NOTHING;
    UPDATE card_books SET seq = seq + 1 WHERE org_id = NEW.org_id;
    -- A card that got another name: the old name is gone.
    INSERT INTO card_changes (org_id, seq, person_id, card_name, removed, changed_at)
    SELECT OLD.org_id, seq, OLD.id, COALESCE(OLD.card_name, OLD.uid), TRUE, NEW.updated_at
    FROM card_books
    WHERE org_id = NEW.org_id AND OLD.synchroniseren
      AND COALESCE(OLD.card_name, OLD.uid) <> COALESCE(NEW.card_name, NEW.uid);
    INSERT INTO card_changes (org_id, seq, person_id, card_name, removed, changed_at)
    SELECT NEW.org_id, seq, NEW.id, COALESCE(NEW.card_name, NEW.uid), NOT NEW.synchroniseren, NEW.updated_at
    FROM card_books WHERE org_id = NEW.org_id;
END;

CREATE TRIGGER persons_card_delete AFTER DELETE ON persons WHEN OLD.synchroniseren
BEGIN
    INSERT INTO card_books (org_id) VALUES (OLD.org_id) ON CONFLICT DO NOTHING;
    UPDATE card_books SET seq = seq + 1 WHERE org_id = OLD.org_id;
    INSERT INTO card_changes (org_id, seq, person_id, card_name, removed, changed_at)
    SELECT OLD.org_id, seq, OLD.id, COALESCE(OLD.card_name, OLD.uid), TRUE, OLD.updated_at
    FROM card_books WHERE org_id = OLD.org_id;
END;

-- A company's new name is on the cards (ORG) of its synced persons.
CREATE TRIGGER companies_card_rename AFTER UPDATE OF name ON companies WHEN OLD.name <> NEW.name
BEGIN
    INSERT INTO card_books (org_id) VALUES (NEW.org_id) ON CONFLICT DO NOTHING;
    UPDATE card_books SET seq = seq + 1 WHERE org_id = NEW.org_id;
    INSERT INTO card_changes (org_id, seq, person_id, card_name, removed, changed_at)
    SELECT p.org_id, b.seq, p.id, COALESCE(p.card_name, p.uid), FALSE, NEW.updated_at
    FROM persons p JOIN card_books b ON b.org_id = p.org_id
    WHERE p.company_id = NEW.id AND p.synchroniseren;
END;

-- App passwords: per device, named, revocable, shown once (stored as SHA-256).
CREATE TABLE app_passwords (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    secret_hash   TEXT    NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER
);
CREATE INDEX app_passwords_user ON app_passwords (user_id);

-- The last sync per device: which user agent, with which credential, when.
CREATE TABLE sync_devices (
    user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_agent       TEXT    NOT NULL,
    app_password_id  INTEGER REFERENCES app_passwords (id) ON DELETE SET NULL,
    last_seen_at     INTEGER NOT NULL,
    PRIMARY KEY (user_id, user_agent)
);
