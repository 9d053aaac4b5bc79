-- What a participant wrote privately to the coordinator (`contact`, the check-in's offer, the fit
-- check's request for a new match). The partner never sees these rows; the coordinators of the
-- programme get each one as a direct message. A mentor's "the pair needs attention" has no text.
CREATE TABLE coordinator_messages (
  id              INTEGER PRIMARY KEY,
  programme_id    INTEGER NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
  pair_id         INTEGER REFERENCES pairs (id) ON DELETE SET NULL,
  person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  kind            TEXT NOT NULL CHECK (kind IN ('not_working', 'leave', 'question', 'attention', 'rematch')),
  message         TEXT,
  created_at      INTEGER NOT NULL
);
CREATE INDEX coordinator_messages_person ON coordinator_messages (person_id);
CREATE INDEX coordinator_messages_programme ON coordinator_messages (programme_id);
