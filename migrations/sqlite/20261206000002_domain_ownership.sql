-- no-transaction
-- Sending domains: a domain may be claimed by several organisations, each proving its claim with
-- its own verification token (TXT _postkamer.<domain>); at most one holds it active or broken.
-- SQLite cannot drop the UNIQUE of sending_domains.domain, so the table is rebuilt (the
-- documented procedure: foreign keys off, so dropping the old table cascades nowhere).

PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

ALTER TABLE organisations ADD COLUMN domain_token TEXT;

CREATE TABLE sending_domains_new (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id            INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    -- Lower case, no trailing dot.
    domain            TEXT    NOT NULL,
    state             TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'active', 'broken')),
    signing_selector  TEXT    NOT NULL DEFAULT 'key001' CHECK (signing_selector IN ('key001', 'key002')),
    last_status       TEXT,
    last_checked_at   INTEGER,
    activated_at      INTEGER,
    next_check_at     INTEGER NOT NULL,
    lease_owner       TEXT,
    lease_until       INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    UNIQUE (org_id, domain)
);
INSERT INTO sending_domains_new (id, org_id, domain, state, signing_selector, last_status,
        last_checked_at, activated_at, next_check_at, lease_owner, lease_until, created_at)
    SELECT id, org_id, domain, state, signing_selector, last_status,
        last_checked_at, activated_at, next_check_at, lease_owner, lease_until, created_at
    FROM sending_domains;
DROP TABLE sending_domains;
ALTER TABLE sending_domains_new RENAME TO sending_domains;
CREATE INDEX sending_domains_due ON sending_domains (next_check_at);
-- The organisation that holds a domain: the one where it is active (or broken, still its own).
CREATE UNIQUE INDEX sending_domains_holder ON sending_domains (domain) WHERE state <> 'pending';
-- Domains activated before tokens existed were never proven: they are checked at once.
UPDATE sending_domains SET next_check_at = 0 WHERE state <> 'pending';

COMMIT;
PRAGMA foreign_keys = ON;
