-- The coordinator's desk on the web: one-time sign-in links and the sessions they open. Only the
-- SHA-256 of a token is kept: a copy of this file signs nobody in. Both go when the person is erased.

-- A link sent in a direct message (`desk` / `skrivebord`), valid for ten minutes, usable once. The token is
-- made when the message is composed; composing the same message again replaces it (message_key).
CREATE TABLE desk_links (
  id              INTEGER PRIMARY KEY,
  person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  programme_id    INTEGER REFERENCES programmes (id) ON DELETE CASCADE, -- where the desk opens; NULL: the first
  message_key     TEXT NOT NULL UNIQUE,      -- the nudge that carries the link
  token_hash      TEXT NOT NULL UNIQUE,      -- hex SHA-256 of the token
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL,
  used_at         INTEGER
);
CREATE INDEX desk_links_person ON desk_links (person_id);

-- A browser signed in to the desk (the token is in its HttpOnly cookie).
CREATE TABLE desk_sessions (
  id              INTEGER PRIMARY KEY,
  person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  token_hash      TEXT NOT NULL UNIQUE,      -- hex SHA-256 of the token
  locale          TEXT,                      -- the language chosen on the desk; NULL: the person's own
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL,
  last_seen_at    INTEGER NOT NULL
);
CREATE INDEX desk_sessions_person ON desk_sessions (person_id);
