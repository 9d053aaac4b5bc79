-- The conversation queues instead of replacing: a person can have several open dialogues. The one
-- with the lowest rank is current; the others wait in order. A closed dialogue keeps its row (without
-- its answers) and the reason it closed, so a test can show that no question was ever lost.
CREATE TABLE dialogues_new (
  id              INTEGER PRIMARY KEY,
  person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  flow            TEXT NOT NULL,
  -- What the question is about (e.g. "book:pair:3"): one open dialogue per person and subject.
  subject         TEXT NOT NULL,
  step            TEXT NOT NULL,
  meeting_id      INTEGER REFERENCES meetings (id) ON DELETE CASCADE,
  state           TEXT NOT NULL DEFAULT '{}',
  rank            INTEGER NOT NULL,
  status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'cancelled', 'expired', 'stale')),
  -- "Not yet": not current until then (a planned nudge asks again).
  snoozed_until   INTEGER,
  outcome_note    TEXT,
  expires_at      INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  closed_at       INTEGER
);

INSERT INTO dialogues_new (person_id, flow, subject, step, meeting_id, state, rank, expires_at, created_at, updated_at)
  SELECT person_id, flow, flow || ':' || coalesce(meeting_id, json_extract(state, '$.pairId'), json_extract(state, '$.programmeId'), 0),
         step, meeting_id, state, updated_at, expires_at, updated_at, updated_at
  FROM dialogues;

DROP TABLE dialogues;
ALTER TABLE dialogues_new RENAME TO dialogues;

CREATE INDEX dialogues_open ON dialogues (person_id, rank) WHERE status = 'open';
CREATE UNIQUE INDEX dialogues_one_per_subject ON dialogues (person_id, subject) WHERE status = 'open';
