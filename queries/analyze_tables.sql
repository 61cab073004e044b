-- Tables the analysis reads its configuration from; Go fills them with
-- bound values from the case file.

CREATE OR REPLACE TABLE endpoints (
  endpoint_id     INTEGER PRIMARY KEY,  -- declaration order in case.yaml
  name            VARCHAR NOT NULL,
  method          VARCHAR NOT NULL,
  regex           VARCHAR NOT NULL,
  query_param     VARCHAR,
  identifier_kind VARCHAR NOT NULL,
  normalizer      VARCHAR NOT NULL,
  country_code    VARCHAR,
  ignore_zeros    BOOLEAN NOT NULL
);
CREATE OR REPLACE TABLE endpoint_exposes (endpoint_id INTEGER NOT NULL, element VARCHAR NOT NULL);
CREATE OR REPLACE TABLE endpoint_also_returns (endpoint_id INTEGER NOT NULL, source VARCHAR NOT NULL);
CREATE OR REPLACE TABLE elements (ord INTEGER NOT NULL, element VARCHAR NOT NULL, label VARCHAR NOT NULL);
CREATE OR REPLACE TABLE scope_principals (principal VARCHAR PRIMARY KEY);
CREATE OR REPLACE TABLE scope_ip_hits (client_ip VARCHAR PRIMARY KEY, indicator VARCHAR NOT NULL);
CREATE OR REPLACE TABLE scope_ua_hits (user_agent VARCHAR PRIMARY KEY, indicator VARCHAR NOT NULL);
