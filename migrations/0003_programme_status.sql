-- A programme is planned, then running, then closed. Closing ends its pairs and stops its nudges.
ALTER TABLE programmes ADD COLUMN status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'running', 'closed'));
