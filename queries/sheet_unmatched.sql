-- Workbook sheet "Unmatched": successful in-scope requests whose identifier matches no customer.
SELECT endpoint, identifier_kind, identifier, requests, first_at, last_at FROM unmatched_identifiers
