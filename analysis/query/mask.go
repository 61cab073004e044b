package query

import (
	"context"
	"regexp"
	"strings"
)

// piiNames are column names that hold personal data wherever they appear:
// the canonical customer fields, their common spellings, identifiers taken
// from requests, and raw log lines (which carry identifiers).
var piiNames = map[string]bool{
	"name": true, "first_name": true, "last_name": true, "full_name": true,
	"address": true, "address_line1": true, "address_line2": true, "street": true, "unit": true,
	"city": true, "state": true, "postal_code": true, "zip": true, "postcode": true,
	"email": true, "phone": true, "msisdn": true, "mobile": true,
	"date_of_birth": true, "dob": true, "birth_date": true,
	"account_number": true, "account_no": true, "account_numbers": true,
	"line1": true, "line2": true,
	"identifier": true, "identifier_raw": true, "identifiers": true,
	"content": true, "text": true,
	"value": true, // a normalised identifier, as in resolve's customer key index
}

// piiSuffixes mark derived names (billing_address, customer_email, ...).
var piiSuffixes = []string{"_name", "_address", "_email", "_phone", "_dob", "_identifier"}

// notPersonal are technical customer-table columns that identify records, not people.
var notPersonal = map[string]bool{
	"customer_id": true, "source": true, "input_id": true, "source_record": true, "record_id": true, "linked": true,
}

// Masker says which result columns are masked in table output.
type Masker struct{ extra map[string]bool }

// Masker returns the masking rule for this case: the built-in names plus
// every personal column of the customer tables (including the case's
// extra elements, such as a plan).
func (q *DB) Masker(ctx context.Context) *Masker {
	m := &Masker{extra: map[string]bool{}}
	rows, err := q.conn.QueryContext(ctx, `SELECT column_name FROM duckdb_columns()
		WHERE schema_name = 'main' AND table_name IN ('customers', 'customer_records')`)
	if err != nil {
		return m
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		if rows.Scan(&c) == nil && !notPersonal[strings.ToLower(c)] {
			m.extra[strings.ToLower(c)] = true
		}
	}
	return m
}

// derivedPrefixes mark columns derived from a personal field: comparison
// keys (k_email) and standardised addresses (std_line1).
var derivedPrefixes = []string{"k_", "std_"}

// Masked reports whether a column of this name is masked.
func (m *Masker) Masked(column string) bool {
	c := strings.ToLower(column)
	for _, p := range derivedPrefixes {
		c = strings.TrimPrefix(c, p)
	}
	if piiNames[c] || (m != nil && m.extra[c]) {
		return true
	}
	for _, s := range piiSuffixes {
		if strings.HasSuffix(c, s) {
			return true
		}
	}
	return false
}

// requestColumns hold request paths and query strings, which carry the
// identifiers an attacker asked for: their identifier-like parts are masked
// and the rest (the endpoint) is shown.
var requestColumns = map[string]bool{"path": true, "query": true, "url": true, "uri": true}

// identifierRE finds identifier-like parts of a path or query: emails (also
// URL-encoded), and runs of five or more digits with separators (account,
// phone and customer numbers).
var identifierRE = regexp.MustCompile(`[^/?&=]*(@|%40)[^/?&=]*|(\+|%2[Bb])?[0-9][0-9.() %-]{3,}[0-9]`)

// Cell returns the text table output shows for a value of column.
func (m *Masker) Cell(column, text string) string {
	if m == nil {
		return text
	}
	if m.Masked(column) {
		return MaskText
	}
	if requestColumns[strings.ToLower(column)] {
		return identifierRE.ReplaceAllString(text, MaskText)
	}
	// Whatever the column is called, an email address or an international
	// phone number is personal data.
	if strings.Contains(text, "@") || e164RE.MatchString(text) {
		return personalRE.ReplaceAllString(text, MaskText)
	}
	return text
}

var (
	e164RE     = regexp.MustCompile(`\+[0-9]{7,15}`)
	personalRE = regexp.MustCompile(`[^\s,;<>()"']+@[^\s,;<>()"']+|\+[0-9]{7,15}`)
)
