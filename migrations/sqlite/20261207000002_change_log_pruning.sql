-- The change logs that sync tokens count on are pruned by housekeeping after a while; a book
-- remembers the last sequence it pruned, so an older token is answered with valid-sync-token
-- (the phone then syncs the whole book again) instead of silently missing changes.
ALTER TABLE card_books ADD COLUMN pruned_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE person_books ADD COLUMN pruned_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX card_changes_changed ON card_changes (changed_at);
CREATE INDEX person_changes_changed ON person_changes (changed_at);
