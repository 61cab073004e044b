-- The case database is a rebuildable cache of the hashed inputs: ingest
-- drops and recreates every table.

CREATE OR REPLACE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);

-- Every input file, with its hash and how many of its lines or records were
-- accepted and rejected.
CREATE OR REPLACE TABLE inputs (
  input_id      INTEGER PRIMARY KEY,
  kind          VARCHAR NOT NULL,   -- customers | logs
  source        VARCHAR NOT NULL,   -- the source's name in the case file
  format        VARCHAR NOT NULL,
  path          VARCHAR NOT NULL,   -- relative to the case directory
  size          BIGINT NOT NULL,
  sha256        VARCHAR NOT NULL,
  header_lines  BIGINT NOT NULL DEFAULT 0,
  rows_read     BIGINT,
  rows_accepted BIGINT,
  rows_rejected BIGINT,
  warning       VARCHAR
);

-- Quarantine: every line or record that was not accepted, with its reason.
-- content keeps the raw line for the analyst; it is never printed.
CREATE OR REPLACE TABLE rejects (
  input_id    INTEGER NOT NULL,
  line        BIGINT,
  byte_offset BIGINT,
  reason      VARCHAR NOT NULL,
  content     VARCHAR
);

-- Customer records in canonical columns, one per row of every customer
-- table; every value is text so leading zeros and odd formats survive until
-- normalisation. Rows of a many_per_customer table (linked) belong to the
-- customer of a primary table with the same customer_id. birth_date is
-- date_of_birth read as a date (NULL when unreadable).
CREATE OR REPLACE TABLE customer_records (
  record_id     BIGINT NOT NULL,    -- input_id * 2^40 + source_record: unique and stable
  customer_id   VARCHAR NOT NULL,
  source        VARCHAR NOT NULL,
  input_id      INTEGER NOT NULL,
  source_record BIGINT NOT NULL,
  linked        BOOLEAN NOT NULL,
  birth_date    DATE{{range .Fields}},
  {{ident .}} VARCHAR{{end}}
);

-- The normalised access table: one row per accepted log line.
CREATE OR REPLACE TABLE access (
  event_id    BIGINT NOT NULL,      -- input_id * 2^40 + line: unique and stable
  input_id    INTEGER NOT NULL,
  line        BIGINT NOT NULL,
  byte_offset BIGINT,
  ts          TIMESTAMP NOT NULL,   -- UTC
  request_id  VARCHAR,
  client_ip   VARCHAR,
  principal   VARCHAR,
  method      VARCHAR NOT NULL,
  path        VARCHAR NOT NULL,
  query       VARCHAR NOT NULL,
  status      INTEGER NOT NULL,
  bytes       BIGINT,
  user_agent  VARCHAR,
  protocol    VARCHAR,              -- HTTP/1.1 ..., when the log records it
  identity_event_id BIGINT          -- the identities row that supplied principal (identity_from)
);

-- Rows of identity sources (a log named by another source's identity_from):
-- the same requests seen by another component, kept for their caller
-- identity only, so no request is counted twice.
CREATE OR REPLACE TABLE identities AS SELECT * FROM access LIMIT 0;
