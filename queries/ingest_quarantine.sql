-- The quarantine file of a run (data/rejected_lines.csv): every line or
-- record ingest did not accept, with its file (relative to the case
-- directory), source, line (or record) number, byte offset (in the
-- decompressed stream, where known) and reason, in file order. The
-- rejected content itself stays in the case database and in the hashed
-- input at that offset: it may hold personal data or attacker-written text,
-- and a file for people holds neither.
COPY (
  SELECT bs_cell(i.path) AS file, bs_cell(i.source) AS source, i.kind, r.line, r.byte_offset, bs_cell(r.reason) AS reason
  FROM rejects r JOIN inputs i USING (input_id)
  ORDER BY r.input_id, r.line NULLS FIRST, r.byte_offset NULLS FIRST, r.reason
) TO $quarantine_path (FORMAT csv, HEADER true);
