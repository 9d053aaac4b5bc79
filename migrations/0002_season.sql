-- The season's flows: the pair's agreement, private reflections, match check-ins, signposting
-- counts, and what the coordinator sees of a pair (at risk, job shadowing).

ALTER TABLE pairs ADD COLUMN at_risk_since INTEGER;
ALTER TABLE pairs ADD COLUMN at_risk_reason TEXT;          -- quiet | low_match (never dialogue text)
ALTER TABLE pairs ADD COLUMN job_shadowing TEXT;           -- done | planned | no
CREATE INDEX pairs_at_risk ON pairs (programme_id) WHERE at_risk_since IS NOT NULL;

ALTER TABLE meetings ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;  -- .ics SEQUENCE: bumped on every move

-- Expectation alignment: one row per question and author; the pair's agreement is all of them.
CREATE TABLE agreements (
  pair_id         INTEGER NOT NULL REFERENCES pairs (id) ON DELETE CASCADE,
  author_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  item            TEXT NOT NULL,
  answer          TEXT,
  answered_at     INTEGER NOT NULL,
  PRIMARY KEY (pair_id, author_id, item)
);

-- The mentee's reflection after a meeting: private, shown to nobody else.
CREATE TABLE reflections (
  meeting_id      INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  worked          TEXT,
  did_not_work    TEXT,
  created_at      INTEGER NOT NULL,
  PRIMARY KEY (meeting_id, person_id)
);

-- Match check-in: two ratings (1-5) per person and pair, private to the person; the coordinator
-- sees only that a pair scored low.
CREATE TABLE checkins (
  pair_id         INTEGER NOT NULL REFERENCES pairs (id) ON DELETE CASCADE,
  person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  professional    INTEGER NOT NULL CHECK (professional BETWEEN 1 AND 5),
  personal        INTEGER NOT NULL CHECK (personal BETWEEN 1 AND 5),
  answered_at     INTEGER NOT NULL,
  PRIMARY KEY (pair_id, person_id)
);

-- Signposting leaves a count and nothing else: no person, no text.
CREATE TABLE signposts (
  id              INTEGER PRIMARY KEY,
  programme_id    INTEGER REFERENCES programmes (id) ON DELETE CASCADE,
  kind            TEXT NOT NULL CHECK (kind IN ('study', 'wellbeing')),
  created_at      INTEGER NOT NULL
);
