-- Domain authentication: sending domains (SPF, DKIM key001/key002, DMARC), the history of their
-- checks, the DKIM key pairs, and notices to the SuperAdmins. Times are Unix milliseconds.

CREATE TABLE sending_domains (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id            INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    -- Lower case, no trailing dot. One organisation per domain in an installation: the keys are
    -- the installation's, so a second claim on the same domain could sign as the first.
    domain            TEXT    NOT NULL UNIQUE,
    state             TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'active', 'broken')),
    signing_selector  TEXT    NOT NULL DEFAULT 'key001' CHECK (signing_selector IN ('key001', 'key002')),
    -- The overall status of the latest complete check (ok/warning/error), and when.
    last_status       TEXT,
    last_checked_at   INTEGER,
    activated_at      INTEGER,
    -- The scheduler: due when next_check_at has passed and nobody holds the lease.
    next_check_at     INTEGER NOT NULL,
    lease_owner       TEXT,
    lease_until       INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL
);
CREATE INDEX sending_domains_org ON sending_domains (org_id, domain);
CREATE INDEX sending_domains_due ON sending_domains (next_check_at);

CREATE TABLE domain_checks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    domain_id   INTEGER NOT NULL REFERENCES sending_domains (id) ON DELETE CASCADE,
    checked_at  INTEGER NOT NULL,
    status      TEXT    NOT NULL,
    -- 'manual' (Nu controleren), 'scheduled', 'added'.
    reason      TEXT    NOT NULL,
    -- The whole DomainReport as JSON.
    report      TEXT    NOT NULL
);
CREATE INDEX domain_checks_domain ON domain_checks (domain_id, checked_at DESC, id DESC);

-- DKIM key pairs. domain_id NULL: the installation's keys (one per selector, made at first
-- start or loaded from configuration); otherwise a key a SuperAdmin generated for one domain's
-- idle selector, which replaces the installation's key for that domain.
CREATE TABLE dkim_keys (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    domain_id       INTEGER REFERENCES sending_domains (id) ON DELETE CASCADE,
    selector        TEXT    NOT NULL CHECK (selector IN ('key001', 'key002')),
    -- PKCS#8 DER, sealed with the installation's secret key.
    private_sealed  BLOB    NOT NULL,
    public_key      TEXT    NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX dkim_keys_installation ON dkim_keys (selector) WHERE domain_id IS NULL;
CREATE UNIQUE INDEX dkim_keys_domain ON dkim_keys (domain_id, selector) WHERE domain_id IS NOT NULL;

-- Things SuperAdmins must see (an active domain that broke). Shown until resolved.
CREATE TABLE admin_notices (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id       INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    domain_id    INTEGER REFERENCES sending_domains (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    resolved_at  INTEGER
);
CREATE INDEX admin_notices_open ON admin_notices (org_id, resolved_at);
