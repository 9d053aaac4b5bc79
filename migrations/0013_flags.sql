-- The coordinator's early warning. A flag is raised when a pair is at risk (src/coordinator/risk.ts
-- derives the reasons from the pair's facts); a coordinator acknowledges or resolves it with a
-- private note. At most one live flag per pair and reason: a flag is "cleared" when its reason goes
-- away, and only then may the same reason raise a new one. Codes, counts and dates only: never
-- what a participant wrote. The note is the coordinator's own words, never shown to participants.
CREATE TABLE flags (
  id              INTEGER PRIMARY KEY,
  programme_id    INTEGER NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
  pair_id         INTEGER NOT NULL REFERENCES pairs (id) ON DELETE CASCADE,
  code            TEXT NOT NULL CHECK (code IN ('quiet', 'low_checkin', 'asked_for_help', 'unreachable', 'long_pause')),
  state           TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'resolved')),
  since           INTEGER NOT NULL,          -- when the reason began
  detail          TEXT NOT NULL DEFAULT '{}', -- JSON: counts and dates only
  raised_at       INTEGER NOT NULL,
  alerted_at      INTEGER,                   -- the immediate alert was planned (once per flag)
  acknowledged_at INTEGER,
  acknowledged_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
  resolved_at     INTEGER,
  resolved_by     INTEGER REFERENCES people (id) ON DELETE SET NULL, -- NULL with resolved_at: its reason went away
  note            TEXT,
  cleared_at      INTEGER                    -- the reason went away: the flag is history
);
CREATE UNIQUE INDEX flags_live ON flags (pair_id, code) WHERE cleared_at IS NULL;
CREATE INDEX flags_programme ON flags (programme_id, raised_at);

-- A participant asked the coordinator for help, or for a new match (the request's own words, if any,
-- live with whatever carried them, never here). Settled when a coordinator resolves the flag.
CREATE TABLE help_requests (
  id              INTEGER PRIMARY KEY,
  pair_id         INTEGER NOT NULL REFERENCES pairs (id) ON DELETE CASCADE,
  person_id       INTEGER REFERENCES people (id) ON DELETE SET NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('help', 'rematch')),
  created_at      INTEGER NOT NULL,
  settled_at      INTEGER
);
CREATE INDEX help_requests_open ON help_requests (pair_id) WHERE settled_at IS NULL;

-- Where a person's continuous pause began (the pause command sets it); gone when the pause is lifted.
ALTER TABLE people ADD COLUMN paused_since INTEGER;
CREATE TRIGGER people_pause_lifted AFTER UPDATE OF paused_until ON people
  WHEN NEW.paused_until IS NULL AND NEW.paused_since IS NOT NULL
BEGIN
  UPDATE people SET paused_since = NULL WHERE id = NEW.id;
END;

-- Whether a coordinator gets the weekly digest (no row: yes).
CREATE TABLE coordinator_digest (
  person_id       INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
  enabled         INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  changed_at      INTEGER NOT NULL
);
