-- Calendar invitations and Teams images (issue 15).
--
-- An id for this installation, generated once: calendar UIDs carry it (meeting-<id>-<installation>@sparring),
-- so two installations, or one seeded again from scratch, never send events that overwrite each other.
INSERT OR IGNORE INTO kv (key, value) VALUES ('installation.id', lower(hex(randomblob(8))));
-- The key that signs the links to images the bot serves to Teams (GET /teams/image), generated once.
INSERT OR IGNORE INTO kv (key, value) VALUES ('images.secret', lower(hex(randomblob(32))));

-- Where a meeting is held online (a Teams, Zoom or Meet link), beside the place; carried into the
-- invitation as URL and in its description. NULL: none given.
ALTER TABLE meetings ADD COLUMN online_url TEXT;

-- Images sent to Teams by link instead of inline (Teams refuses messages over about 28 KB): the report
-- chart, an aggregate with no person in it. Served only under a signed link until expires_at, then deleted.
CREATE TABLE served_images (
  id              TEXT PRIMARY KEY,         -- random, unguessable
  media_type      TEXT NOT NULL,
  bytes           BLOB NOT NULL,
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL
);
CREATE INDEX served_images_expires ON served_images (expires_at);
