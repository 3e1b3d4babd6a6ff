-- Saved selections of the relation list (a search, a company, "marked for sync only"), per
-- user; each can go to the user's phones as a read-only address book.
CREATE TABLE saved_selections (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id       INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    search       TEXT    NOT NULL DEFAULT '',
    -- A selection within a company goes with the company.
    company_id   INTEGER REFERENCES companies (id) ON DELETE CASCADE,
    synced_only  BOOLEAN NOT NULL DEFAULT FALSE,
    carddav      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX saved_selections_name ON saved_selections (user_id, name);

-- Every change of any person (a company's change counts for its persons): the read-only
-- address books over selections follow it, as the marked-for-sync book follows card_changes.
-- The same per-organisation counter row serialises writers, so tokens never skip a change.
CREATE TABLE person_books (
    org_id  INTEGER PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE person_changes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    person_id   INTEGER NOT NULL,
    uid         TEXT    NOT NULL,
    changed_at  INTEGER NOT NULL
);
CREATE INDEX person_changes_org ON person_changes (org_id, seq);

CREATE TRIGGER persons_log_insert AFTER INSERT ON persons
BEGIN
    INSERT INTO person_books (org_id) VALUES (NEW.org_id) ON CONFLICT DO NOTHING;
    UPDATE person_books SET seq = seq + 1 WHERE org_id = NEW.org_id;
    INSERT INTO person_changes (org_id, seq, person_id, uid, changed_at)
    SELECT NEW.org_id, seq, NEW.id, NEW.uid, NEW.updated_at FROM person_books WHERE org_id = NEW.org_id;
END;

CREATE TRIGGER persons_log_update AFTER UPDATE ON persons
BEGIN
    INSERT INTO person_books (org_id) VALUES (NEW.org_id) ON CONFLICT DO NOTHING;
    UPDATE person_books SET seq = seq + 1 WHERE org_id = NEW.org_id;
    INSERT INTO person_changes (org_id, seq, person_id, uid, changed_at)
    SELECT NEW.org_id, seq, NEW.id, NEW.uid, NEW.updated_at FROM person_books WHERE org_id = NEW.org_id;
END;

CREATE TRIGGER persons_log_delete AFTER DELETE ON persons
BEGIN
    INSERT INTO person_books (org_id) VALUES (OLD.org_id) ON CONFLICT DO NOTHING;
    UPDATE person_books SET seq = seq + 1 WHERE org_id = OLD.org_id;
    INSERT INTO person_changes (org_id, seq, person_id, uid, changed_at)
    SELECT OLD.org_id, seq, OLD.id, OLD.uid, OLD.updated_at FROM person_books WHERE org_id = OLD.org_id;
END;

-- A company's name and other fields are searched for its persons (and its name is on their
-- cards): a change of the company is a change of each of them.
CREATE TRIGGER companies_log_update AFTER UPDATE ON companies
BEGIN
    INSERT INTO person_books (org_id) VALUES (NEW.org_id) ON CONFLICT DO NOTHING;
    UPDATE person_books SET seq = seq + 1 WHERE org_id = NEW.org_id;
    INSERT INTO person_changes (org_id, seq, person_id, uid, changed_at)
    SELECT p.org_id, b.seq, p.id, p.uid, NEW.updated_at
    FROM persons p JOIN person_books b ON b.org_id = p.org_id
    WHERE p.company_id = NEW.id;
END;
