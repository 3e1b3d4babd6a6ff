-- Foundation: organisations, users, sessions, API tokens, login throttling, relations.
-- Times are Unix milliseconds (INTEGER) in both engines, so queries are written once.
-- AUTOINCREMENT: an id is never reused after a delete (as in PostgreSQL), so links stay valid.

CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id         INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name           TEXT    NOT NULL,
    email          TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('superadmin', 'gebruiker')),
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    locale         TEXT    NOT NULL DEFAULT 'nl',
    password_hash  TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
);
CREATE INDEX users_org ON users (org_id, name);

CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    user_agent  TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    token_hash    TEXT    NOT NULL UNIQUE,
    prefix        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER,
    revoked_at    INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_failures (
    id   INTEGER PRIMARY KEY,
    key  TEXT    NOT NULL,
    at   INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);

CREATE TABLE companies (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    sort_name   TEXT    NOT NULL,
    kvk_number  TEXT,
    street      TEXT    NOT NULL DEFAULT '',
    postal_code TEXT    NOT NULL DEFAULT '',
    city        TEXT    NOT NULL DEFAULT '',
    sort_city   TEXT    NOT NULL DEFAULT '',
    country     TEXT    NOT NULL DEFAULT '',
    phone       TEXT,
    website     TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX companies_by_name ON companies (org_id, sort_name, id);
CREATE INDEX companies_by_city ON companies (org_id, sort_city, id);
CREATE INDEX companies_by_updated ON companies (org_id, updated_at, id);

CREATE TABLE company_domains (
    company_id  INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    org_id      INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    domain      TEXT    NOT NULL,
    PRIMARY KEY (company_id, domain)
);
CREATE INDEX company_domains_lookup ON company_domains (org_id, domain);

CREATE TABLE persons (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id          INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    uid             TEXT    NOT NULL UNIQUE,
    company_id      INTEGER REFERENCES companies (id) ON DELETE SET NULL,
    first_name      TEXT,
    tussenvoegsel   TEXT,
    last_name       TEXT    NOT NULL,
    sort_name       TEXT    NOT NULL,
    job_title       TEXT,
    street          TEXT    NOT NULL DEFAULT '',
    postal_code     TEXT    NOT NULL DEFAULT '',
    city            TEXT    NOT NULL DEFAULT '',
    sort_city       TEXT    NOT NULL DEFAULT '',
    country         TEXT    NOT NULL DEFAULT '',
    notes           TEXT,
    primary_email   TEXT,
    primary_phone   TEXT,
    synchroniseren  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX persons_by_name ON persons (org_id, sort_name, id);
CREATE INDEX persons_by_city ON persons (org_id, sort_city, id);
CREATE INDEX persons_by_updated ON persons (org_id, updated_at, id);
CREATE INDEX persons_by_company ON persons (company_id, sort_name, id);

CREATE TABLE person_emails (
    person_id   INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    org_id      INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    email       TEXT    NOT NULL,
    is_primary  BOOLEAN NOT NULL,
    PRIMARY KEY (person_id, email)
);
-- The mail engine looks up the contact persons of every address of every message here.
CREATE INDEX person_emails_lookup ON person_emails (org_id, email, person_id);

CREATE TABLE person_phones (
    person_id  INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    number     TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    PRIMARY KEY (person_id, position)
);

-- Search: every word of a relation's name, e-mail addresses, company, phone digits and city,
-- folded to lower-case ASCII. A query word matches a token by prefix through the index.
CREATE TABLE person_tokens (
    person_id  INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    org_id     INTEGER NOT NULL,
    token      TEXT    NOT NULL,
    PRIMARY KEY (person_id, token)
);
CREATE INDEX person_tokens_lookup ON person_tokens (org_id, token, person_id);

CREATE TABLE company_tokens (
    company_id  INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    org_id      INTEGER NOT NULL,
    token       TEXT    NOT NULL,
    PRIMARY KEY (company_id, token)
);
CREATE INDEX company_tokens_lookup ON company_tokens (org_id, token, company_id);
