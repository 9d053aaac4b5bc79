-- When the person last wrote to the bot while this question was their current one (an answer, a refused
-- try, a command that brought it up). The scheduler tells "in the middle of a question" from "merely asked
-- one" by it: a re-ask the person was promised ("not yet") waits only for the first, not for a question
-- that arrived since and is still untouched. `updated_at` keeps meaning "asked or answered".
ALTER TABLE dialogues ADD COLUMN touched_at INTEGER;
-- Open questions answered at least once before this migration (moved on since they were opened).
UPDATE dialogues SET touched_at = updated_at WHERE status = 'open' AND updated_at > created_at AND snoozed_until IS NULL;
