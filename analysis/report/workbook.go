package report

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/report/xlsx"
	"github.com/breachscope/breachscope/analysis/store"
	"github.com/breachscope/breachscope/queries"
)

type workbookInput struct {
	c        *casefile.Case
	db       *store.DB
	m        *Manifest
	elements []casefile.Element
	unmasked bool
	// individuals caps the Individuals sheet's rows (0: every person).
	individuals int64
}

// individualsSheet describes the Individuals sheet of people people, of
// whom it lists the first limit (0: all).
func individualsSheet(unmasked bool, people, limit int64) xlsx.Sheet {
	note := "Personal data is masked. Re-run the report with --unmasked for full values (the manifest records it)."
	if unmasked {
		note = "UNMASKED: this sheet holds full personal data (the run was made with --unmasked)."
	}
	notes := []string{note}
	if limit > 0 && people > limit {
		notes = append(notes, fmt.Sprintf("Lists the first %s of %s people, by reference code: every person is in the notification files (notify/) and data/people.parquet. "+
			"Re-run the report with --workbook-individuals 0 to list everyone here.", thousands(limit), thousands(people)))
	}
	return xlsx.Sheet{
		Name: "Individuals", Title: "People to notify, one row each", Notes: notes,
		Columns: []xlsx.Column{
			{Header: "Reference code"}, {Header: "Person id"}, {Header: "Addressee"}, {Header: "Address"}, {Header: "Email"},
			{Header: "Date of birth"}, {Header: "Account numbers"}, {Header: "City"}, {Header: "State"},
			{Header: "Postal code"}, {Header: "Country"}, {Header: "Jurisdiction"}, {Header: "Notice required", Kind: xlsx.Bool},
			{Header: "Why"}, {Header: "Channel"}, {Header: "Letter version"},
			{Header: "Exposed data"}, {Header: "Customer records", Kind: xlsx.Int}, {Header: "Merged because"},
		},
	}
}

// writeWorkbook writes the legal workbook; tmpDir holds excelize's spill
// files (they contain PII) inside the run directory and is removed after.
func writeWorkbook(ctx context.Context, path, tmpDir string, in *workbookInput) error {
	if err := os.MkdirAll(tmpDir, 0o700); err != nil {
		return err
	}
	defer os.RemoveAll(tmpDir)
	summary, err := summarySheet(ctx, in)
	if err != nil {
		return err
	}
	sheets := []xlsx.Sheet{
		summary,
		reconciliationSheet(in),
		pagedSheet(ctx, in.db, xlsx.Sheet{
			Name:  "Data elements",
			Title: "People per combination of exposed data elements",
			Columns: []xlsx.Column{
				{Header: "Exposed data elements"}, {Header: "Elements", Kind: xlsx.Int}, {Header: "People", Kind: xlsx.Int},
			},
		}, "sheet_elements.sql", nil, "people DESC, element_count DESC, phrase"),
		pagedSheet(ctx, in.db, xlsx.Sheet{
			Name:  "Timeline",
			Title: "Attacker requests and newly exposed customers per day (UTC)",
			Columns: []xlsx.Column{
				{Header: "Day (UTC)", Kind: xlsx.Date}, {Header: "In-scope requests", Kind: xlsx.Int}, {Header: "Matched requests", Kind: xlsx.Int},
				{Header: "Newly exposed customers", Kind: xlsx.Int}, {Header: "Exposed customers, cumulative", Kind: xlsx.Int},
			},
			Chart: &xlsx.ChartSpec{Title: "Attacker requests and newly exposed customers per day", Type: xlsx.ColumnChart, CategoryColumn: 0, ValueColumns: []int{1, 3}},
		}, "sheet_timeline.sql", nil, "day"),
		cappedSheet(ctx, in.db, individualsSheet(in.unmasked, in.m.Counts.People, in.individuals), "sheet_individuals.sql", struct{ Unmasked bool }{in.unmasked},
			"reference_code", in.individuals),
		pagedSheet(ctx, in.db, xlsx.Sheet{
			Name:  "Jurisdictions",
			Title: "People per jurisdiction, notices required, thresholds and deadlines",
			Notes: []string{
				"The rules table is a starting point for counsel, not legal advice: check every row against the statute before relying on it.",
				"Thresholds count people whose notice is required. Deadlines run from the case's discovery date; blank means the statute sets no fixed number of days.",
			},
			Columns: []xlsx.Column{
				{Header: "Code"}, {Header: "Jurisdiction"}, {Header: "People", Kind: xlsx.Int}, {Header: "Notice required", Kind: xlsx.Int},
				{Header: "Undetermined", Kind: xlsx.Int}, {Header: "Regulator"}, {Header: "Regulator threshold", Kind: xlsx.Int},
				{Header: "Regulator threshold met", Kind: xlsx.Bool}, {Header: "CRA threshold", Kind: xlsx.Int}, {Header: "CRA threshold met", Kind: xlsx.Bool},
				{Header: "Notice deadline", Kind: xlsx.Date}, {Header: "Regulator deadline", Kind: xlsx.Date}, {Header: "Source"},
				{Header: "As of", Kind: xlsx.Date}, {Header: "Unverified"},
			},
		}, "sheet_jurisdictions.sql", nil, "people DESC, code"),
		pagedSheet(ctx, in.db, xlsx.Sheet{
			Name:  "Letter versions",
			Title: "Letter versions: which template each code means",
			Notes: []string{"Code = audience (A adult, M minor, D deceased) + element combination + jurisdiction group (US, EU, INT, UNK)."},
			Columns: []xlsx.Column{
				{Header: "Code"}, {Header: "Audience"}, {Header: "Jurisdiction group"}, {Header: "Exposed data"}, {Header: "People", Kind: xlsx.Int},
			},
		}, "sheet_letters.sql", nil, "code"),
		pagedSheet(ctx, in.db, xlsx.Sheet{
			Name:    "Near misses",
			Title:   "Records that look alike but were not merged, for review",
			Columns: []xlsx.Column{{Header: "Near-miss rule"}, {Header: "Person"}, {Header: "Other person"}, {Header: "Fields that differ"}},
		}, "sheet_near_misses.sql", nil, "rule, person_a, person_b"),
		pagedSheet(ctx, in.db, xlsx.Sheet{
			Name:  "Unmatched",
			Title: "In-scope successful requests whose identifier matches no customer",
			Columns: []xlsx.Column{
				{Header: "Endpoint"}, {Header: "Identifier kind"}, {Header: "Identifier (normalised)"},
				{Header: "Requests", Kind: xlsx.Int}, {Header: "First (UTC)", Kind: xlsx.Timestamp}, {Header: "Last (UTC)", Kind: xlsx.Timestamp},
			},
		}, "sheet_unmatched.sql", nil, "endpoint, identifier_kind, identifier NULLS FIRST"),
		pagedSheet(ctx, in.db, xlsx.Sheet{
			Name:  "Unsuccessful",
			Title: "In-scope requests that returned no data, by endpoint and status",
			Notes: []string{"Counted, not exposures: the status was outside the success range or the response smaller than the minimum size."},
			Columns: []xlsx.Column{
				{Header: "Endpoint"}, {Header: "Status", Kind: xlsx.Int}, {Header: "Reason"}, {Header: "Requests", Kind: xlsx.Int},
			},
		}, "sheet_unsuccessful.sql", nil, "endpoint, status, reason"),
		pagedSheet(ctx, in.db, xlsx.Sheet{
			Name:  "Rejected input",
			Title: "Input lines and records not accepted, by file and reason",
			Notes: []string{"The rejected content is kept in the case database (table rejects), never in this workbook."},
			Columns: []xlsx.Column{
				{Header: "File"}, {Header: "Reason"}, {Header: "Lines or records", Kind: xlsx.Int}, {Header: "First line", Kind: xlsx.Int},
			},
		}, "sheet_rejected.sql", nil, "input_id, reason", "input_id"),
		methodologySheet(in.m),
	}
	rep, err := xlsx.Write(ctx, path, sheets, xlsx.Options{TempDir: tmpDir})
	if err != nil {
		return err
	}
	if len(rep.Overlong) > 0 || rep.OverlongOmitted > 0 {
		return fmt.Errorf("%d cell(s) over Excel's 32,767-character limit (first: sheet %s row %d column %s)",
			len(rep.Overlong)+rep.OverlongOmitted, rep.Overlong[0].Sheet, rep.Overlong[0].Row, rep.Overlong[0].Column)
	}
	return nil
}

func summarySheet(ctx context.Context, in *workbookInput) (xlsx.Sheet, error) {
	c := in.m.Counts
	notes := []string{"Case: " + in.c.Name, "All times are UTC."}
	if !in.c.Window.Start.IsZero() || !in.c.Window.End.IsZero() {
		notes = append(notes, fmt.Sprintf("Attack window: %s to %s (end exclusive)", fmtTime(in.c.Window.Start), fmtTime(in.c.Window.End)))
	}
	var first, last sql.NullTime
	if err := in.db.QueryRow(ctx, "SELECT min(first_exposed), max(last_exposed) FROM exposed_customers").Scan(&first, &last); err != nil {
		return xlsx.Sheet{}, err
	}
	people, err := peopleCounts(ctx, in.db)
	if err != nil {
		return xlsx.Sheet{}, err
	}
	rows := [][]any{
		{"People to notify", people["people"]},
		{"  by mail", people["mail"]},
		{"  by email only", people["email"]},
		{"  substitute notice (no usable address or email)", people["substitute"]},
		{"  minors (to the parent or guardian)", people["minor"]},
		{"  deceased (to the estate)", people["deceased"]},
		{"  notice required by their jurisdiction's rule", people["required"]},
		{"Customers exposed", c.ExposedCustomers},
		{"Accounts of the people to notify", people["accounts"]},
		{"Attacker requests (in scope)", c.InScope},
		{"  successful, matched to one customer", c.Matched},
		{"  successful, identifier matches several customers (listed for review)", c.Ambiguous},
		{"  successful, identifier matches no customer", c.Unmatched},
		{"  unsuccessful (status or size)", c.Unsuccessful},
		{"  to no declared endpoint", c.NoEndpoint},
		{"Requests in the logs", c.Requests},
		{"Log lines rejected", c.LogLinesRejected},
		{"Customer records", c.CustomerRecords},
	}
	perElement, err := store.Counts[string](ctx, in.db, "SELECT element, count(DISTINCT customer_id) FROM evidence GROUP BY element")
	if err != nil {
		return xlsx.Sheet{}, err
	}
	for _, e := range in.elements {
		rows = append(rows, []any{"Customers whose " + e.Label + " was exposed", perElement[e.Name]})
	}
	if first.Valid {
		notes = append(notes, fmt.Sprintf("First exposure %s, last exposure %s", fmtTime(first.Time), fmtTime(last.Time)))
	}
	return xlsx.Sheet{
		Name: "Summary", Title: "Breach impact summary", Notes: notes,
		Columns: []xlsx.Column{{Header: "Measure"}, {Header: "Count", Kind: xlsx.Int}},
		Rows:    xlsx.SliceRows(rows),
	}, nil
}

func peopleCounts(ctx context.Context, db *store.DB) (map[string]int64, error) {
	var people, mail, email, substitute, minor, deceased, required int64
	err := db.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE channel = 'mail'), count(*) FILTER (WHERE channel = 'email'),
		count(*) FILTER (WHERE channel = 'substitute'), count(*) FILTER (WHERE minor), count(*) FILTER (WHERE deceased),
		count(*) FILTER (WHERE notice_required) FROM people JOIN person_notice USING (person_id)`).Scan(
		&people, &mail, &email, &substitute, &minor, &deceased, &required)
	if err != nil {
		return nil, err
	}
	accounts, err := db.Int(ctx, "SELECT count(DISTINCT a) FROM (SELECT unnest(account_numbers) AS a FROM people)")
	return map[string]int64{"people": people, "mail": mail, "email": email, "substitute": substitute, "minor": minor,
		"deceased": deceased, "required": required, "accounts": accounts}, err
}

func reconciliationSheet(in *workbookInput) xlsx.Sheet {
	var rows [][]any
	for _, ch := range in.m.Reconciliation {
		var sum int64
		for _, t := range ch.Right {
			sum += t.Value
		}
		rows = append(rows, []any{ch.Name, ch.Equation(), ch.Left.Value, sum, ch.OK})
	}
	return xlsx.Sheet{
		Name: "Reconciliation", Title: "Every count and the equation it satisfies",
		Notes: []string{"A run whose counts do not add up fails; this sheet shows each equation held."},
		Columns: []xlsx.Column{
			{Header: "Check"}, {Header: "Equation"}, {Header: "Left", Kind: xlsx.Int}, {Header: "Sum of parts", Kind: xlsx.Int}, {Header: "Holds", Kind: xlsx.Bool},
		},
		Rows: xlsx.SliceRows(rows),
	}
}

func methodologySheet(m *Manifest) xlsx.Sheet {
	var rows [][]any
	add := func(section, item, text string) { rows = append(rows, []any{section, item, text}) }
	add("Tool", "breachscope", m.Tool.Version+" ("+m.Tool.Commit+")")
	add("Tool", "Go", m.Tool.Go)
	add("Tool", "DuckDB", m.Tool.DuckDB)
	for _, in := range m.Inputs {
		add("Input", in.Path, fmt.Sprintf("%s %s, %d bytes, sha256 %s; read %d, accepted %d, rejected %d",
			in.Kind, in.Format, in.Size, in.SHA256, in.Read, in.Accepted, in.Rejected))
	}
	add("Case file", casefile.FileName, "sha256 "+m.Case.SHA256)
	for i, line := range strings.Split(strings.TrimRight(m.Case.Content, "\n"), "\n") {
		add("Case file", fmt.Sprintf("line %d", i+1), line)
	}
	for i, st := range m.SQL {
		for j, line := range strings.Split(st.SQL, "\n") {
			item := ""
			if j == 0 {
				item = fmt.Sprintf("%d. %s", i+1, st.File)
			}
			add("SQL", item, line)
		}
	}
	return xlsx.Sheet{
		Name: "Methodology", Title: "How these numbers were made",
		Notes:   []string{"Inputs with their SHA-256, the case file, and every SQL statement that ran, in order."},
		Columns: []xlsx.Column{{Header: "Section"}, {Header: "Item"}, {Header: "Text", Width: 120}},
		Rows:    xlsx.SliceRows(rows),
	}
}

// pagedSheet streams a query's rows with keyset paging over a numbered temp
// table, so a large sheet never materialises in one result.
// The query is the SELECT in queries/<file>; orderBy must name a unique key
// of its rows; hidden lists query columns used only for ordering.
// The next page is read while the writer formats the current one: at a
// few hundred thousand rows, reading and formatting cost about the same,
// and neither needs the other until a page runs out. At most one read is
// in flight; the last page is collected before the sheet reports its end,
// so the next sheet's query never overlaps it (a read abandoned by a
// failed write ends with ctx, and its buffered channel is dropped).
func pagedSheet(ctx context.Context, db *store.DB, s xlsx.Sheet, file string, data any, orderBy string, hidden ...string) xlsx.Sheet {
	return cappedSheet(ctx, db, s, file, data, orderBy, 0, hidden...)
}

// cappedSheet is pagedSheet holding at most limit rows, the first by
// orderBy (0: every row).
func cappedSheet(ctx context.Context, db *store.DB, s xlsx.Sheet, file string, data any, orderBy string, limit int64, hidden ...string) xlsx.Sheet {
	const page = 10000
	var buf [][]any
	var pending chan sheetPage
	prepared, done := false, false
	fetch := func(after int64) chan sheetPage {
		ch := make(chan sheetPage, 1)
		go func() { ch <- readSheetPage(ctx, db, hidden, after, page) }()
		return ch
	}
	s.Rows = xlsx.RowFunc(func() ([]any, bool, error) {
		if !prepared {
			prepared = true
			text, err := queries.Render(file, data)
			if err != nil {
				return nil, false, err
			}
			query := strings.TrimSuffix(strings.TrimSpace(text), ";")
			if limit > 0 {
				// the first rows only, without numbering (or sorting) the rest
				query = fmt.Sprintf("SELECT * FROM (%s) ORDER BY %s LIMIT %d", query, orderBy, limit)
			}
			if err := db.Exec(ctx, "CREATE OR REPLACE TEMP TABLE bs_sheet AS SELECT row_number() OVER (ORDER BY "+orderBy+") AS bs_n, * FROM ("+query+")"); err != nil {
				return nil, false, err
			}
			pending = fetch(0)
		}
		if len(buf) == 0 && !done {
			p := <-pending
			pending = nil
			if p.err != nil {
				done = true
				return nil, false, p.err
			}
			buf = p.rows
			done = len(buf) < page
			if !done {
				pending = fetch(p.last)
			}
		}
		if len(buf) == 0 {
			return nil, false, nil
		}
		row := buf[0]
		buf = buf[1:]
		return row, true, nil
	})
	return s
}

// sheetPage is one page of a paged sheet: its rows, the row number of the
// last (where the next page starts) or the error that ended the read.
type sheetPage struct {
	rows [][]any
	last int64
	err  error
}

// readSheetPage reads up to size rows of bs_sheet after row number after.
func readSheetPage(ctx context.Context, db *store.DB, hidden []string, after int64, size int) sheetPage {
	rows, err := db.Query(ctx, fmt.Sprintf("SELECT * EXCLUDE (%s), bs_n FROM bs_sheet WHERE bs_n > ? ORDER BY bs_n LIMIT %d", strings.Join(append([]string{"bs_n"}, hidden...), ", "), size), after)
	if err != nil {
		return sheetPage{err: err}
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return sheetPage{err: err}
	}
	p := sheetPage{last: after}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return sheetPage{err: err}
		}
		p.last = vals[len(vals)-1].(int64)
		p.rows = append(p.rows, vals[:len(vals)-1])
	}
	if err := rows.Err(); err != nil {
		return sheetPage{err: err}
	}
	return p
}
