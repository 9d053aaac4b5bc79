-- "At risk" has one source: the reasons derived from a pair's facts (src/coordinator/risk.ts), kept as the
-- coordinator's flags. The columns written beside them since the first season could disagree with the
-- flags (a booking cleared one, a resolved flag left the other), so they go.
DROP INDEX IF EXISTS pairs_at_risk;
ALTER TABLE pairs DROP COLUMN at_risk_since;
ALTER TABLE pairs DROP COLUMN at_risk_reason;
