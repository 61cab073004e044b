-- The jurisdiction rules in force for this case (shipped table plus the
-- case's overrides) and the notice decision for every distinct pair of
-- jurisdiction and exposed elements. Go evaluates the rules; see
-- analysis/jurisdiction for the table and its sources.
CREATE OR REPLACE TABLE notice_rules (
  code VARCHAR PRIMARY KEY, name VARCHAR, triggers VARCHAR, regulator VARCHAR,
  regulator_threshold INTEGER, regulator_deadline_days INTEGER, cra_threshold INTEGER, deadline_days INTEGER,
  citation VARCHAR, as_of DATE, unverified VARCHAR, sources VARCHAR
);

CREATE OR REPLACE TABLE notice_decisions (
  jurisdiction VARCHAR, elements VARCHAR, required BOOLEAN, reason VARCHAR
);
