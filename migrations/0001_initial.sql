-- Sparring's first schema. Times are integer epoch milliseconds in UTC.
-- Never edit this file once applied; add 0002_… instead.

CREATE TABLE programmes (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL UNIQUE,
  starts_on       TEXT NOT NULL,            -- YYYY-MM-DD, in the programme's zone
  ends_on         TEXT NOT NULL,
  locale          TEXT NOT NULL DEFAULT 'da',
  timezone        TEXT NOT NULL,
  settings        TEXT NOT NULL DEFAULT '{}', -- JSON, parsed by src/programme/settings.ts
  created_at      INTEGER NOT NULL
);

CREATE TABLE people (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL,
  email           TEXT,
  locale          TEXT,                     -- NULL: the programme's
  timezone        TEXT,                     -- NULL: the programme's
  paused_until    INTEGER,                  -- nudges wait until then
  created_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX people_email ON people (email) WHERE email IS NOT NULL;

-- How a person is reached on a platform. `address` is self-describing: an adapter
-- can deliver to it with nothing but this string (e.g. local:3, slack:T1:U2).
CREATE TABLE identities (
  platform        TEXT NOT NULL,
  platform_id     TEXT NOT NULL,
  person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  address         TEXT,                     -- NULL: known, but not reachable yet
  PRIMARY KEY (platform, platform_id)
);
CREATE INDEX identities_person ON identities (person_id);

CREATE TABLE participants (
  programme_id    INTEGER NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
  person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  role            TEXT NOT NULL CHECK (role IN ('mentee', 'mentor', 'coordinator')),
  profile         TEXT NOT NULL DEFAULT '{}', -- JSON: faculty, education, interests, company, job_title, capacity
  joined_at       INTEGER NOT NULL,
  PRIMARY KEY (programme_id, person_id, role)
);
CREATE INDEX participants_person ON participants (person_id);

CREATE TABLE pairs (
  id              INTEGER PRIMARY KEY,
  programme_id    INTEGER NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
  mentee_id       INTEGER NOT NULL REFERENCES people (id),
  mentor_id       INTEGER NOT NULL REFERENCES people (id),
  status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
  matched_at      INTEGER NOT NULL,
  ended_at        INTEGER
);
CREATE UNIQUE INDEX pairs_active_mentee ON pairs (programme_id, mentee_id) WHERE status = 'active';
CREATE INDEX pairs_mentor ON pairs (mentor_id);

CREATE TABLE meetings (
  id              INTEGER PRIMARY KEY,
  pair_id         INTEGER NOT NULL REFERENCES pairs (id) ON DELETE CASCADE,
  starts_at       INTEGER NOT NULL,
  duration_min    INTEGER NOT NULL,
  place           TEXT,
  status          TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'held', 'cancelled', 'missed')),
  booked_by       INTEGER REFERENCES people (id),
  created_at      INTEGER NOT NULL
);
CREATE INDEX meetings_pair ON meetings (pair_id, starts_at);

-- The mentee's preparation for one meeting; private unless shared = 1.
CREATE TABLE preps (
  meeting_id      INTEGER PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
  shared          INTEGER,                  -- NULL: not decided yet
  completed_at    INTEGER
);
CREATE TABLE prep_answers (
  meeting_id      INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  question        TEXT NOT NULL,            -- say | hear | achieve | since
  answer          TEXT,                     -- NULL: skipped
  answered_at     INTEGER NOT NULL,
  PRIMARY KEY (meeting_id, question)
);

CREATE TABLE summaries (
  meeting_id      INTEGER PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
  points          TEXT NOT NULL,
  written_by      INTEGER REFERENCES people (id),
  confirmed_at    INTEGER,
  mentor_addition TEXT,
  created_at      INTEGER NOT NULL
);

CREATE TABLE action_items (
  id              INTEGER PRIMARY KEY,
  pair_id         INTEGER NOT NULL REFERENCES pairs (id) ON DELETE CASCADE,
  meeting_id      INTEGER REFERENCES meetings (id) ON DELETE SET NULL,
  owner_id        INTEGER REFERENCES people (id),
  text            TEXT NOT NULL,
  done_at         INTEGER,
  created_at      INTEGER NOT NULL
);
CREATE INDEX action_items_pair ON action_items (pair_id);

-- One open dialogue per person: which flow, which step, for what, until when.
CREATE TABLE dialogues (
  person_id       INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
  flow            TEXT NOT NULL,
  step            TEXT NOT NULL,
  meeting_id      INTEGER REFERENCES meetings (id) ON DELETE CASCADE,
  state           TEXT NOT NULL DEFAULT '{}',
  expires_at      INTEGER,
  updated_at      INTEGER NOT NULL
);

-- Planned work. Planning twice with the same key inserts once.
CREATE TABLE nudges (
  id              INTEGER PRIMARY KEY,
  key             TEXT NOT NULL UNIQUE,
  kind            TEXT NOT NULL,
  person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  subject         TEXT,                     -- what it is about, e.g. meeting:12; cancelled together
  payload         TEXT NOT NULL DEFAULT '{}',
  due_at          INTEGER NOT NULL,
  expires_at      INTEGER,                  -- after this it has lost its point: dropped, never sent
  status          TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'sending', 'delivered', 'dropped', 'failed', 'cancelled')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  max_attempts    INTEGER NOT NULL DEFAULT 8,
  last_error      TEXT,
  locked_at       INTEGER,
  delivered_at    INTEGER,
  platform_message_id TEXT,
  outcome_note    TEXT,
  created_at      INTEGER NOT NULL
);
-- The tick reads only these two partial indexes: its cost follows what is due.
CREATE INDEX nudges_due ON nudges (due_at) WHERE status = 'pending';
CREATE INDEX nudges_in_flight ON nudges (locked_at) WHERE status = 'sending';
CREATE INDEX nudges_person ON nudges (person_id, status);
CREATE INDEX nudges_subject ON nudges (subject) WHERE status = 'pending';

CREATE TABLE survey_responses (
  id              INTEGER PRIMARY KEY,
  programme_id    INTEGER NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
  person_id       INTEGER REFERENCES people (id) ON DELETE SET NULL, -- NULL after erasure
  role            TEXT NOT NULL,
  item            TEXT NOT NULL,
  value           INTEGER,
  text            TEXT,
  answered_at     INTEGER NOT NULL,
  UNIQUE (programme_id, person_id, item)
);

-- The local terminal chat's mailbox: what the bot delivered to each person, shown when
-- you act as that person. `key` is the nudge key, so a delivery is stored once.
CREATE TABLE local_inbox (
  id              INTEGER PRIMARY KEY,
  person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  key             TEXT NOT NULL UNIQUE,
  message         TEXT NOT NULL,
  delivered_at    INTEGER NOT NULL,
  shown_at        INTEGER
);
CREATE INDEX local_inbox_unshown ON local_inbox (person_id) WHERE shown_at IS NULL;

-- Small settings that must survive a restart (the local chat's clock offset, …).
CREATE TABLE kv (
  key             TEXT PRIMARY KEY,
  value           TEXT NOT NULL
);
