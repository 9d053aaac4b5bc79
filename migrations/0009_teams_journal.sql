-- The Teams send journal. Bot Framework keeps no history a bot can read in a personal chat and takes
-- no idempotency key, so before a planned message is posted its nudge key is written here (and
-- committed); the activity id Teams answered is written after. After a crash the journal tells:
-- a row with an activity id was accepted; no row was surely not sent; a row without one is in doubt.
CREATE TABLE teams_journal (
  conversation_id TEXT NOT NULL,            -- the personal chat (a:…)
  key             TEXT NOT NULL,            -- the nudge (or bundle) key
  written_at      INTEGER NOT NULL,         -- just before the post left
  activity_id     TEXT,                     -- NULL until the connector accepted the post
  recorded_at     INTEGER,                  -- when the activity id was written
  PRIMARY KEY (conversation_id, key)
);
CREATE INDEX teams_journal_key ON teams_journal (key);
CREATE INDEX teams_journal_written ON teams_journal (written_at);
