-- Each person's own clock. Where a person's zone came from: 'import' (the participants file, or set
-- explicitly) wins over 'platform' (Slack's users.info tz, Teams' reported zone), which only fills
-- a zone nobody set. NULL with a NULL timezone: the programme's zone applies.
ALTER TABLE people ADD COLUMN timezone_source TEXT CHECK (timezone_source IN ('import', 'platform'));
UPDATE people SET timezone_source = 'import' WHERE timezone IS NOT NULL;

-- Messages that are right when they arrive: a debounced message (a meeting's invitation, replaced
-- while it waits by the next change) is neither sent nor bundled with others before this moment.
ALTER TABLE nudges ADD COLUMN not_before INTEGER;
