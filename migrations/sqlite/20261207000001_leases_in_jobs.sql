-- Mail sync and domain re-checks run as jobs (see 20261206000003_jobs.sql), leased there: the
-- leases of their own go. A mailbox's sync job is queued by the next start or hourly
-- housekeeping; so is each domain's check, due when the domain's next_check_at says.
DROP INDEX mailboxes_lease;
ALTER TABLE mailboxes DROP COLUMN lease_owner;
ALTER TABLE mailboxes DROP COLUMN lease_until;
ALTER TABLE sending_domains DROP COLUMN lease_owner;
ALTER TABLE sending_domains DROP COLUMN lease_until;
