-- E-mail templates (Beheer → E-mail → E-mailsjablonen): a name, a subject line with merge
-- fields, and the editor's document (ProseMirror JSON, checked by the templates engine before
-- it is stored). The last versions are kept for "Herstellen".
CREATE TABLE templates (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    subject     TEXT    NOT NULL DEFAULT '',
    body        TEXT    NOT NULL,
    has_inhoud  BOOLEAN NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX templates_name ON templates (org_id, name);

CREATE TABLE template_versions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    template_id  INTEGER NOT NULL REFERENCES templates (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    saved_at     INTEGER NOT NULL,
    saved_by     INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX template_versions_template ON template_versions (template_id, id);

-- Action types (Beheer → E-mail → Actietypen): the six of every organisation (kind set, never
-- removed, renamed or switched off at will) and the organisation's own (kind NULL). Each may
-- name the template a new action of its type opens with; a template in use cannot go.
CREATE TABLE action_types (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id       INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    kind         TEXT,
    name         TEXT    NOT NULL,
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    template_id  INTEGER REFERENCES templates (id) ON DELETE RESTRICT,
    position     INTEGER NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX action_types_kind ON action_types (org_id, kind) WHERE kind IS NOT NULL;
CREATE UNIQUE INDEX action_types_name ON action_types (org_id, name);

INSERT INTO action_types (org_id, kind, name, position, created_at)
SELECT o.id, k.kind, k.name, k.position, o.created_at
FROM organisations o CROSS JOIN (
    SELECT 'email_out' AS kind, 'E-mail uit' AS name, 1 AS position
    UNION ALL SELECT 'email_in', 'E-mail in', 2
    UNION ALL SELECT 'phone', 'Telefoon', 3
    UNION ALL SELECT 'note', 'Notitie', 4
    UNION ALL SELECT 'task', 'Taak', 5
    UNION ALL SELECT 'appointment', 'Afspraak', 6
) k;
