-- Slack delivery within Slack's limits. Each person's DM channel id, once opened, is kept, so a
-- restart does not open every conversation again (conversations.open is Tier 3, about 50 a minute).
CREATE TABLE slack_channels (
  user_id         TEXT NOT NULL,
  team_id         TEXT NOT NULL,
  channel_id      TEXT NOT NULL,
  opened_at       INTEGER NOT NULL,
  PRIMARY KEY (team_id, user_id)
);

-- The send journal: a nudge key is written before its message is posted and the message's ts after,
-- so after a crash findDelivered knows without asking Slack whether a key was never posted (no row)
-- or surely arrived (a ts); only a row without ts needs the channel's history (1 request a minute).
CREATE TABLE slack_sends (
  key             TEXT PRIMARY KEY,
  team_id         TEXT NOT NULL,
  channel_id      TEXT NOT NULL,
  started_at      INTEGER NOT NULL,
  ts              TEXT
);
CREATE INDEX slack_sends_channel ON slack_sends (channel_id, ts);

-- Users a Sparring before this journal may have posted to: for them a key without a row is looked up
-- in the history, as before.
CREATE TABLE slack_unjournalled_users (
  user_id         TEXT PRIMARY KEY
);
INSERT OR IGNORE INTO slack_unjournalled_users (user_id) SELECT platform_id FROM identities WHERE platform = 'slack';
