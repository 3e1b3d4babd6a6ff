-- Sending domains: a domain may be claimed by several organisations, each proving its claim with
-- its own verification token (TXT _postkamer.<domain>); at most one holds it active or broken.

ALTER TABLE organisations ADD COLUMN domain_token TEXT;

ALTER TABLE sending_domains DROP CONSTRAINT sending_domains_domain_key;
DROP INDEX sending_domains_org;
ALTER TABLE sending_domains ADD CONSTRAINT sending_domains_org_domain UNIQUE (org_id, domain);
-- The organisation that holds a domain: the one where it is active (or broken, still its own).
CREATE UNIQUE INDEX sending_domains_holder ON sending_domains (domain) WHERE state <> 'pending';
-- Domains activated before tokens existed were never proven: they are checked at once.
UPDATE sending_domains SET next_check_at = 0 WHERE state <> 'pending';
