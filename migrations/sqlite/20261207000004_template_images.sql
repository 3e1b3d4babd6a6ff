-- Images in templates (the editor's Afbeelding button): stored once per organisation under a
-- name made from their content (so a template's versions and copies share them and a name
-- never changes meaning), referred to from documents as `cid:<name>`, sent as inline parts.
CREATE TABLE template_images (
    org_id        INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    bytes         BLOB    NOT NULL,
    created_at    INTEGER NOT NULL,
    created_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (org_id, name)
);
