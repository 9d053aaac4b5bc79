-- A question that expired unanswered is looked at once more, at the first text the person writes after
-- it closed: that text may have been meant for it (src/conversation/late-answer.ts). `late_checked_at`
-- says it has been looked at; the partial index finds those not yet looked at without a scan.
ALTER TABLE dialogues ADD COLUMN late_checked_at INTEGER;
UPDATE dialogues SET late_checked_at = closed_at WHERE status = 'expired';
CREATE INDEX dialogues_late ON dialogues (person_id) WHERE status = 'expired' AND late_checked_at IS NULL;
