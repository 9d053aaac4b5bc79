-- Retention: when a programme closed, and when its free text and contact data were deleted.
-- Programmes closed before this migration count from the upgrade (their close was not recorded),
-- so nothing is deleted earlier than the retention period promises.
ALTER TABLE programmes ADD COLUMN closed_at INTEGER;
ALTER TABLE programmes ADD COLUMN free_text_deleted_at INTEGER;
UPDATE programmes SET closed_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000 WHERE status = 'closed';
