-- The job queue: durable background work (mail sync, domain re-checks, housekeeping; later the
-- outbox, backups, AI audit pruning), leased through the database so that with several server
-- instances each job runs once. Times are Unix milliseconds.

CREATE TABLE jobs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The organisation the job is for; NULL for the installation's own work.
    org_id        INTEGER REFERENCES organisations (id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL,
    -- JSON, read by the kind's handler.
    payload       TEXT    NOT NULL DEFAULT '{}',
    -- At most one job of a kind per key is queued (e.g. one sync per mailbox).
    unique_key    TEXT,
    run_at        INTEGER  NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    max_attempts  INTEGER NOT NULL,
    lease_owner   TEXT,
    lease_until   INTEGER  NOT NULL DEFAULT 0,
    last_error    TEXT,
    -- Set when the last attempt failed: the job waits for "Opnieuw proberen".
    failed_at     INTEGER,
    created_at    INTEGER  NOT NULL
);
CREATE INDEX jobs_due ON jobs (kind, run_at) WHERE failed_at IS NULL;
CREATE UNIQUE INDEX jobs_unique ON jobs (kind, unique_key) WHERE unique_key IS NOT NULL;
