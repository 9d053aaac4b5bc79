-- Delivery you can bet on. A claim records its owner (process id + start) and a lease; outcome
-- writes are fenced by the owner, and a row is taken back only when its lease has run out. A row
-- taken back may already have arrived: it stays "in doubt" until the platform has been asked.
-- seq_at keeps a person's messages in their planned order through retries (due_at moves, seq_at
-- does not, except when quiet hours or a pause re-schedule it).
ALTER TABLE nudges ADD COLUMN locked_by TEXT;
ALTER TABLE nudges ADD COLUMN lease_until INTEGER;
ALTER TABLE nudges ADD COLUMN in_doubt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE nudges ADD COLUMN seq_at INTEGER;
UPDATE nudges SET seq_at = due_at;
UPDATE nudges SET lease_until = locked_at WHERE status = 'sending';

DROP INDEX nudges_in_flight;
CREATE INDEX nudges_in_flight ON nudges (lease_until) WHERE status = 'sending';
CREATE INDEX nudges_person_order ON nudges (person_id, seq_at, id) WHERE status = 'pending';
CREATE INDEX nudges_person_sending ON nudges (person_id) WHERE status = 'sending';
-- The key a bundle of several nudges was sent under (findDelivered asks for it after a crash).
ALTER TABLE nudges ADD COLUMN bundle_key TEXT;
