-- Goals that can be followed, growth measured, and the mentor's own side of a meeting.

-- The pair's goals: the lines of the mentee's "help wanted with" in the agreement, one row each.
-- A goal taken out of the agreement later is dropped, not deleted: its ratings still count.
-- `text` is the mentee's words (NULL once retention has removed the programme's free text).
CREATE TABLE goals (
  id              INTEGER PRIMARY KEY,
  pair_id         INTEGER NOT NULL REFERENCES pairs (id) ON DELETE CASCADE,
  position        INTEGER NOT NULL,
  text            TEXT,
  created_at      INTEGER NOT NULL,
  dropped_at      INTEGER
);
CREATE INDEX goals_pair ON goals (pair_id);

-- The mentee's own rating of progress on a goal (1 = not started … 5 = reached), at the check-in
-- ('mid') and at the end of the season ('end'). Private: the report shows counts only.
CREATE TABLE goal_ratings (
  goal_id         INTEGER NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
  moment          TEXT NOT NULL CHECK (moment IN ('mid', 'end')),
  progress        INTEGER NOT NULL CHECK (progress BETWEEN 1 AND 5),
  answered_at     INTEGER NOT NULL,
  PRIMARY KEY (goal_id, moment)
);

-- The programme's eight outcome items as statements about where the mentee stands, on the agree
-- scale (1 = strongly disagree … 5 = strongly agree): at the start of the season and again at the
-- end, in one row, so the change stays countable once the person is erased (person_id NULL).
CREATE TABLE outcome_growth (
  programme_id    INTEGER NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
  person_id       INTEGER REFERENCES people (id) ON DELETE SET NULL,
  item            TEXT NOT NULL,
  baseline        INTEGER CHECK (baseline BETWEEN 1 AND 5),
  baseline_at     INTEGER,
  final           INTEGER CHECK (final BETWEEN 1 AND 5),
  final_at        INTEGER,
  UNIQUE (programme_id, person_id, item)
);

-- The mentor's get-to-know answers before the first meeting: private unless shared = 1.
CREATE TABLE introductions (
  pair_id         INTEGER NOT NULL REFERENCES pairs (id) ON DELETE CASCADE,
  author_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  about           TEXT,
  curious         TEXT,
  shared          INTEGER,                  -- NULL: not decided (or nothing to share)
  answered_at     INTEGER NOT NULL,
  PRIMARY KEY (pair_id, author_id)
);

-- Every scale now runs the same way, low to high: the agree scale was 1 = strongly agree. The
-- mentees' outcome answers already stored are turned round to 1 = strongly disagree … 5 = strongly agree.
UPDATE survey_responses SET value = 6 - value
 WHERE role = 'mentee' AND value BETWEEN 1 AND 5
   AND item IN ('careerDirection', 'transition', 'labourMarket', 'prepared', 'projectInput',
                'personalCompetences', 'professionalCompetences', 'professionalRelationship');
