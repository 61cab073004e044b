package ingest

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/breachscope/breachscope/analysis/casefile"
)

// ErrMissingColumn is returned when the case file maps a column the file does not have.
var ErrMissingColumn = errors.New("mapped column not found")

// ErrDuplicateCustomer is returned when a customer id appears more than once.
var ErrDuplicateCustomer = errors.New("duplicate customer id")

type mappedColumn struct {
	Field  string
	Column string // "" when the source does not map the field
}

func (in *ingester) customers(ctx context.Context, src casefile.CustomerSource) error {
	files, err := expand(in.c.Dir, src.Path)
	if err != nil {
		return fmt.Errorf("customers source %q: %w", src.Name, err)
	}
	for _, path := range files {
		if err := in.customerFile(ctx, src, path); err != nil {
			return err
		}
	}
	return nil
}

func (in *ingester) customerFile(ctx context.Context, src casefile.CustomerSource, path string) error {
	i, err := in.register(ctx, "customers", src.Name, src.Format, path)
	if err != nil {
		return err
	}
	delim := ","
	if src.Format == "tsv" {
		delim = "\t"
	}
	for _, t := range []string{"bs_reject_errors", "bs_reject_scans"} {
		if err := in.db.Exec(ctx, "DROP TABLE IF EXISTS "+t); err != nil {
			return fmt.Errorf("ingest %s: %w", i.Path, err)
		}
	}
	params := map[string]any{"path": path, "delim": delim, "source": src.Name, "input_id": i.ID,
		"linked": src.ManyPerCustomer, "date_order": src.DateOrder}
	if err := in.db.Script(ctx, "read_customers.sql", struct{ Format string }{src.Format}, params); err != nil {
		return fmt.Errorf("ingest %s: %w", i.Path, sanitize(err))
	}
	cols, err := in.fileColumns(ctx)
	if err != nil {
		return fmt.Errorf("ingest %s: %w", i.Path, err)
	}
	data := struct {
		Format    string
		CSV       bool
		IDColumn  string
		DOBColumn string
		Columns   []mappedColumn
	}{Format: src.Format, CSV: src.Format == "csv" || src.Format == "tsv"}
	var missing []string
	lookup := func(field, col string) string {
		if col == "" {
			return ""
		}
		real, ok := cols[strings.ToLower(col)]
		if !ok {
			missing = append(missing, fmt.Sprintf("%q (for %s)", col, field))
		}
		return real
	}
	data.IDColumn = lookup("customer_id", src.Columns["customer_id"])
	for _, f := range in.c.RecordFields() {
		col := src.Columns[f]
		if col == "" {
			col = src.Extra[f]
		}
		mc := mappedColumn{Field: f, Column: lookup(f, col)}
		if f == "date_of_birth" {
			data.DOBColumn = mc.Column
		}
		data.Columns = append(data.Columns, mc)
	}
	if len(missing) > 0 {
		return fmt.Errorf("ingest %s: column %s not in the file; %s; fix customers source %q in case.yaml: %w",
			i.Path, strings.Join(missing, ", "), describeColumns(cols), src.Name, ErrMissingColumn)
	}
	if err := in.db.Script(ctx, "ingest_customers.sql", data, params); err != nil {
		return fmt.Errorf("ingest %s: %w", i.Path, sanitize(err))
	}
	if data.CSV {
		i.Header = 1
	}
	return in.db.Exec(ctx, "DROP TABLE customer_file")
}

// finishCustomers quarantines orphan linked rows, builds the customers
// table and records every customer input's final counts.
func (in *ingester) finishCustomers(ctx context.Context) error {
	if err := in.db.Script(ctx, "customers.sql", nil, nil); err != nil {
		return fmt.Errorf("link customer tables: %w", err)
	}
	for _, i := range in.inputs {
		if i.Kind != "customers" {
			continue
		}
		var err error
		if i.Accepted, err = in.db.Int(ctx, "SELECT count(*) FROM customer_records WHERE input_id = ?", i.ID); err != nil {
			return err
		}
		if i.Rejected, err = in.db.Int(ctx, "SELECT count(*) FROM rejects WHERE input_id = ?", i.ID); err != nil {
			return err
		}
		// Records as read: DuckDB's reader accounts for every data record as
		// either a row or a rejected record, so the sum is the file's records.
		i.Read = i.Accepted + i.Rejected
		if err := in.record(ctx, i); err != nil {
			return err
		}
	}
	return nil
}

// fileColumns maps lower-cased column names of customer_file to their real names.
func (in *ingester) fileColumns(ctx context.Context) (map[string]string, error) {
	rows, err := in.db.Query(ctx, "SELECT column_name FROM (DESCRIBE customer_file) WHERE column_name <> 'bs_record'")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols := map[string]string{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols[strings.ToLower(c)] = c
	}
	return cols, rows.Err()
}

// checkUniqueCustomers fails when a customer id is used by more than one
// primary record: exposures keyed on it would be ambiguous.
func (in *ingester) checkUniqueCustomers(ctx context.Context) error {
	rows, err := in.db.Query(ctx, `
		SELECT customer_id, count(*) AS n,
		       string_agg(i.path || ' record ' || c.source_record, ', ' ORDER BY c.input_id, c.source_record) AS places
		FROM customer_records c JOIN inputs i USING (input_id)
		WHERE NOT c.linked
		GROUP BY customer_id HAVING count(*) > 1
		ORDER BY customer_id LIMIT 5`)
	if err != nil {
		return fmt.Errorf("check customer ids: %w", err)
	}
	defer rows.Close()
	var examples []string
	for rows.Next() {
		var id, places string
		var n int64
		if err := rows.Scan(&id, &n, &places); err != nil {
			return err
		}
		examples = append(examples, fmt.Sprintf("%s x%d (%s)", id, n, places))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(examples) == 0 {
		return nil
	}
	total, err := in.db.Int(ctx, "SELECT count(*) FROM (SELECT customer_id FROM customer_records WHERE NOT linked GROUP BY ALL HAVING count(*) > 1)")
	if err != nil {
		return err
	}
	return fmt.Errorf("customers: %d customer id(s) appear in more than one record, e.g. %s; make customer_id unique (map a different column, or split former customers into their own id space): %w",
		total, strings.Join(examples, "; "), ErrDuplicateCustomer)
}

// sanitize drops the parts of a DuckDB error that quote input content,
// which may be PII.
func sanitize(err error) error {
	msg := err.Error()
	for _, marker := range []string{"Original Line", "\n  file = ", "Possible fixes:", "The search space used"} {
		if i := strings.Index(msg, marker); i >= 0 {
			msg = strings.TrimSpace(msg[:i])
		}
	}
	if msg == err.Error() {
		return err
	}
	return errors.New(msg)
}

var (
	digitsRE     = regexp.MustCompile(`[0-9]{3,}`)
	personNameRE = regexp.MustCompile(`^\p{Lu}\p{Ll}+( \p{Lu}\.?)?( \p{Lu}[\p{Ll}'-]+)+$`)
)

// describeColumns lists a file's column names for an error message. When a
// file has no header row its "column names" are the first customer's data,
// so names that look like data (an email, a run of digits, a personal name
// such as "Jane Smith") are hidden: errors never carry personal data.
func describeColumns(cols map[string]string) string {
	var shown []string
	hidden := 0
	for _, c := range cols {
		binary := strings.ContainsFunc(c, func(r rune) bool { return r < 0x20 || r == 0x7f || r == utf8.RuneError })
		if binary || strings.Contains(c, "@") || digitsRE.MatchString(c) || (personNameRE.MatchString(c) && !headerWords(c)) || len(c) > 64 {
			hidden++
			continue
		}
		shown = append(shown, c)
	}
	sort.Strings(shown)
	msg := "its columns are: " + strings.Join(shown, ", ")
	if hidden > 0 {
		msg += fmt.Sprintf(" and %d name(s) that look like data (is the header row missing?)", hidden)
	}
	return msg
}

// commonHeaderWords make up the capitalised headers ("First Name", "Zip
// Code") that would otherwise look like a person's name.
var commonHeaderWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`first last middle full given family sur name names email e-mail mail phone mobile cell
		telephone tel number no address street line city town state province region zip postal post code country date of
		birth dob account acct customer client subscriber member id plan type status billing home work primary secondary
		unit apt suite deceased flag created updated`) {
		commonHeaderWords[w] = true
	}
}

func headerWords(s string) bool {
	for _, w := range strings.Fields(strings.ToLower(s)) {
		if !commonHeaderWords[strings.Trim(w, ".:")] {
			return false
		}
	}
	return true
}
