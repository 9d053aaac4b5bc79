-- Slack retries an event it thinks went unanswered (X-Slack-Retry-Num); each event id is handled once.
CREATE TABLE slack_events (
  event_id        TEXT PRIMARY KEY,
  received_at     INTEGER NOT NULL
);
CREATE INDEX slack_events_received ON slack_events (received_at);

-- The Slack workspace (team id) a person was last seen in.
ALTER TABLE identities ADD COLUMN workspace TEXT;

-- The latest message with buttons that waits for a person's answer, so that once the question is
-- answered (by button, by DM reply or in a form) its buttons give way to the answer.
CREATE TABLE slack_questions (
  user_id         TEXT PRIMARY KEY,
  channel         TEXT NOT NULL,
  ts              TEXT NOT NULL,
  question_id     TEXT NOT NULL,
  blocks          TEXT NOT NULL
);
