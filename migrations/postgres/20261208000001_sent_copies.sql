-- A message sent from Postkamer is a stored message at once: on the relation's timeline, and in
-- Verzonden where the writer has a mailbox, at a provisional UID (minus the outbox id) until the
-- copy APPENDed to the server's Sent folder (the `mail.append` job) takes its real UID. The
-- next sync recognises that copy by its bytes: no duplicate.
ALTER TABLE outbox ADD COLUMN copy_id BIGINT REFERENCES messages (id) ON DELETE SET NULL;
