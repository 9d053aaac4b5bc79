-- The personal chat of each Teams user with the bot, stored when the app is installed or first
-- spoken to, so that planned nudges reach the person later (proactive messages), after restarts.
CREATE TABLE teams_conversations (
  user_id         TEXT PRIMARY KEY,         -- the Teams user id in the chat (29:…)
  aad_object_id   TEXT,                     -- the Entra ID object id, if Teams sent it
  tenant_id       TEXT,
  reference       TEXT NOT NULL,            -- the ConversationReference, JSON
  updated_at      INTEGER NOT NULL
);
CREATE INDEX teams_conversations_aad ON teams_conversations (aad_object_id);
