package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/breachscope/breachscope/analysis/casefile"
)

// ErrMissingColumn is returned when the case file maps a column the file does not have.
var ErrMissingColumn = errors.New("mapped column not found")

// ErrDuplicateCustomer is returned when a customer id appears more than once.
var ErrDuplicateCustomer = errors.New("duplicate customer id")

// ErrAmbiguousColumn is returned when a mapped column name matches several
// columns of a file: two columns of that exact name, or, with none of that
// exact name, several that differ from it only by case.
var ErrAmbiguousColumn = errors.New("mapped column ambiguous")

// ErrEmptyFile is returned for a customer file of 0 bytes: without a header
// row its mapped columns cannot be checked.
var ErrEmptyFile = errors.New("empty customer file")

// ErrUnterminatedQuote is returned when a quoted value of a customer CSV
// file is never closed: the records after it cannot be told apart.
var ErrUnterminatedQuote = errors.New("unterminated quote in a customer file")

type mappedColumn struct {
	Field  string
	Column string // "" when the source does not map the field
}

func (in *ingester) customers(ctx context.Context, src casefile.CustomerSource) error {
	files, note, err := in.inputFiles(src.Path)
	if err != nil {
		return fmt.Errorf("customers source %q: %w", src.Name, err)
	}
	for k, path := range files {
		if err := in.customerFile(ctx, src, path); err != nil {
			return err
		}
		if k == 0 {
			in.inputs[len(in.inputs)-1].Warning = note
		}
	}
	return nil
}

func (in *ingester) customerFile(ctx context.Context, src casefile.CustomerSource, path string) error {
	i, err := in.register(ctx, "customers", src.Name, src.Format, path)
	if err != nil {
		return err
	}
	if i.Size == 0 {
		return fmt.Errorf("ingest %s: the file is empty (0 bytes, not even a header row); export the table again or take it out of customers source %q in case.yaml: %w",
			i.Path, src.Name, ErrEmptyFile)
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
	csvFile := src.Format == "csv" || src.Format == "tsv"
	cols, err := in.fileColumns(ctx, params)
	if err != nil && csvFile {
		err = in.diagnoseCSV(ctx, path, delim, err)
	}
	if err != nil {
		return fmt.Errorf("ingest %s: %w", i.Path, sanitize(err))
	}
	if csvFile {
		cols.header = customerHeader(path, delim, cols.name)
	}
	data := struct {
		Format      string
		CSV         bool
		IDColumn    string
		DOBColumn   string
		Columns     []mappedColumn
		RowidColumn bool
	}{Format: src.Format, CSV: csvFile, RowidColumn: slices.ContainsFunc(cols.name, func(c string) bool { return strings.EqualFold(c, "rowid") })}
	var missing, ambiguous []string
	lookup := func(field, col string) string {
		if col == "" {
			return ""
		}
		name, problem, err := cols.find(col)
		switch {
		case errors.Is(err, ErrMissingColumn):
			missing = append(missing, fmt.Sprintf("%q (for %s)", col, field))
		case err != nil:
			ambiguous = append(ambiguous, fmt.Sprintf("%q (for %s) %s", col, field, problem))
		}
		return name
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
	if len(ambiguous) > 0 {
		return fmt.Errorf("ingest %s: mapped column %s; which column holds the values cannot be told: fix customers source %q in case.yaml or the file's header row: %w",
			i.Path, strings.Join(ambiguous, "; "), src.Name, ErrAmbiguousColumn)
	}
	if len(missing) > 0 {
		return fmt.Errorf("ingest %s: column %s not in the file; %s; fix customers source %q in case.yaml: %w",
			i.Path, strings.Join(missing, ", "), describeColumns(cols.byName()), src.Name, ErrMissingColumn)
	}
	if err := in.db.Script(ctx, "ingest_customers.sql", data, params); err != nil {
		return fmt.Errorf("ingest %s: %w", i.Path, sanitize(err))
	}
	if csvFile {
		if err := in.checkQuotes(ctx); err != nil {
			return fmt.Errorf("ingest %s: %w", i.Path, err)
		}
		i.Header = 1
	}
	return nil
}

// finishCustomers quarantines orphan linked rows, builds the customers
// table and records every customer input's final counts.
func (in *ingester) finishCustomers(ctx context.Context) error {
	// Every customer record is in; written to the database file, they no
	// longer hold memory the joins below need under a low memory limit.
	if err := in.db.Exec(ctx, "CHECKPOINT"); err != nil {
		return err
	}
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

// fileColumns returns the customer file's columns in file order. It binds
// the read (DuckDB sniffs the file) without reading any record.
func (in *ingester) fileColumns(ctx context.Context, params map[string]any) (columns, error) {
	rows, err := in.db.Query(ctx, "SELECT * FROM customer_file($path, $delim) LIMIT 0",
		sql.Named("path", params["path"]), sql.Named("delim", params["delim"]))
	if err != nil {
		return columns{}, err
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return columns{}, err
	}
	return columns{name: names, header: names}, rows.Err()
}

// checkUniqueCustomers fails when a customer id is used by more than one
// primary record: exposures keyed on it would be ambiguous.
func (in *ingester) checkUniqueCustomers(ctx context.Context) error {
	// The first five repeated ids, then where each is: one grouping that
	// also gathered the places (an ordered string_agg) would hold every id
	// in memory, beyond a low memory limit.
	rows, err := in.db.Query(ctx, `
		SELECT customer_id, count(*) AS n FROM customer_records WHERE NOT linked
		GROUP BY customer_id HAVING count(*) > 1 ORDER BY customer_id LIMIT 5`)
	if err != nil {
		return fmt.Errorf("check customer ids: %w", err)
	}
	type dup struct {
		id string
		n  int64
	}
	var dups []dup
	for rows.Next() {
		var d dup
		if err := rows.Scan(&d.id, &d.n); err != nil {
			rows.Close()
			return err
		}
		dups = append(dups, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(dups) == 0 {
		return nil
	}
	var examples []string
	for _, d := range dups {
		var places string
		err := in.db.QueryRow(ctx, `
			SELECT string_agg(i.path || ' record ' || c.source_record, ', ' ORDER BY c.input_id, c.source_record)
			FROM customer_records c JOIN inputs i USING (input_id)
			WHERE NOT c.linked AND c.customer_id = ?`, d.id).Scan(&places)
		if err != nil {
			return fmt.Errorf("check customer ids: %w", err)
		}
		examples = append(examples, fmt.Sprintf("%s x%d (%s)", d.id, d.n, places))
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

// columns are a customer file's columns in file order: name is what DuckDB
// calls each (what the SQL selects), header what the file's header row
// says. They differ when names repeat: DuckDB renames a second "acct", or
// an "ACCT" (it compares names ignoring case), to acct_1 and ACCT_1.
type columns struct{ name, header []string }

// find returns the column that col names: the one column of exactly that
// name, or else the one column equal to it ignoring case. Several such
// columns make it ambiguous (problem says which); none, ErrMissingColumn.
func (c columns) find(col string) (name, problem string, err error) {
	match := func(eq func(a, b string) bool) []int {
		var at []int
		for k, h := range c.header {
			if eq(h, col) {
				at = append(at, k)
			}
		}
		return at
	}
	exact := match(func(a, b string) bool { return a == b })
	if len(exact) == 1 {
		return c.name[exact[0]], "", nil
	}
	if len(exact) > 1 {
		return "", "is the name of " + c.positions(exact) + " (rename one of them in the file)", ErrAmbiguousColumn
	}
	folded := match(strings.EqualFold)
	switch len(folded) {
	case 0:
		return "", "", ErrMissingColumn
	case 1:
		return c.name[folded[0]], "", nil
	}
	return "", "matches " + c.positions(folded) + " only by case (write the name exactly as in the file)", ErrAmbiguousColumn
}

// positions names columns by number and header name: "columns 2 "acct"
// and 3 "ACCT"". The names equal a name from the case file up to case, so
// they carry no customer data.
func (c columns) positions(at []int) string {
	var parts []string
	for _, k := range at {
		parts = append(parts, fmt.Sprintf("%d %q", k+1, c.header[k]))
	}
	return "columns " + strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func (c columns) byName() map[string]string {
	m := map[string]string{}
	for _, h := range c.header {
		m[h] = h
	}
	return m
}

var utf8BOM = []byte("\xef\xbb\xbf")

// customerHeader returns the names of a CSV or TSV file's header row as
// written, to tell a repeated column name from DuckDB's renaming of it. It
// returns duck (the names DuckDB gave) when the row cannot be read or has
// another number of fields: DuckDB's reading of the file is what counts.
func customerHeader(path, delim string, duck []string) []string {
	header, err := customerHeaderFields(path, delim)
	if err != nil || len(header) != len(duck) {
		return duck
	}
	return header
}

// customerHeaderFields reads the first record of a CSV or TSV file (gzip detected by
// its magic bytes, a UTF-8 byte order mark skipped, as DuckDB does).
func customerHeaderFields(path, delim string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fb := bufio.NewReader(f)
	var r io.Reader = fb
	if b, _ := fb.Peek(2); bytes.Equal(b, []byte{0x1f, 0x8b}) {
		if r, err = gzip.NewReader(fb); err != nil {
			return nil, err
		}
	}
	br := bufio.NewReader(r)
	if b, _ := br.Peek(3); bytes.Equal(b, utf8BOM) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.Comma = rune(delim[0])
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	return cr.Read()
}

// checkQuotes fails when DuckDB's reader met a quoted value that is never
// closed. It rejects one record, but the quote swallows the line breaks
// after it up to the next quote: records after it are lost or merged
// without being counted, so the file cannot be accounted for.
func (in *ingester) checkQuotes(ctx context.Context) error {
	line, err := in.db.Int(ctx, "SELECT min(line) FROM bs_reject_errors WHERE error_message ILIKE '%unterminated quote%'")
	if err != nil || line == 0 {
		return err
	}
	return unterminated(line)
}

func unterminated(line int64) error {
	return fmt.Errorf("line %d: a quoted value is never closed, so the records after it cannot be told apart; fix the quotes on that line of the file: %w", line, ErrUnterminatedQuote)
}

// diagnoseCSV explains why DuckDB could not read a CSV file at all. An
// unterminated quote makes DuckDB's dialect detection fail; reading the
// file again without detection (the dialect is known: every column text)
// finds its line. Any other failure is returned as it is.
func (in *ingester) diagnoseCSV(ctx context.Context, path, delim string, readErr error) error {
	header, err := customerHeaderFields(path, delim)
	if err != nil || len(header) == 0 {
		return readErr
	}
	// Column names are positions, never names from the file or case file.
	var fields []string
	for k := range header {
		fields = append(fields, fmt.Sprintf("'c%d': 'VARCHAR'", k))
	}
	for _, t := range []string{"bs_check_errors", "bs_check_scans"} {
		if err := in.db.Exec(ctx, "DROP TABLE IF EXISTS "+t); err != nil {
			return err
		}
	}
	_, err = in.db.Int(ctx, `SELECT count(*) FROM read_csv($path, header = true, auto_detect = false, columns = {`+strings.Join(fields, ", ")+`},
		delim = $delim, quote = '"', escape = '"', buffer_size = 1048576, store_rejects = true, rejects_scan = 'bs_check_scans', rejects_table = 'bs_check_errors')`,
		sql.Named("path", path), sql.Named("delim", delim))
	if err != nil {
		return readErr
	}
	line, err := in.db.Int(ctx, "SELECT min(line) FROM bs_check_errors WHERE error_message ILIKE '%unterminated quote%'")
	if err != nil || line == 0 {
		return readErr
	}
	return unterminated(line)
}
