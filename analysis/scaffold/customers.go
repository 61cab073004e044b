package scaffold

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/sample"
	"github.com/breachscope/breachscope/analysis/store"
)

// sampleRows is how many records of a customer file are sniffed.
const sampleRows = 2000

// table is a sniffed tabular file: its format, its columns and a sample of
// each column's values (kept in memory only, never written).
type table struct {
	Format  string // csv, tsv, parquet or jsonl; "" when ingest cannot read it
	Columns []string
	Values  [][]string // Values[i] are sample values of Columns[i]
	Rows    int
	Note    string // what sniffing found, for the comment in case.yaml
}

// sniffTable reads the start of a customer file with DuckDB: the CSV
// dialect and header (sniff_csv), a Parquet schema, or JSON keys.
func sniffTable(ctx context.Context, db *store.DB, path string) (*table, error) {
	kind, err := sample.Detect(path)
	if err != nil {
		return nil, err
	}
	compression := "none"
	if kind == sample.Gzip {
		compression = "gzip"
	}
	t := &table{}
	var rows *sql.Rows
	switch {
	case kind == sample.Parquet:
		t.Format, t.Note = "parquet", "Parquet"
		rows, err = db.Query(ctx, fmt.Sprintf("SELECT * FROM read_parquet(?) LIMIT %d", sampleRows), path)
	case firstByte(path) == '{':
		t.Format, t.Note = "jsonl", "JSON lines"
		rows, err = db.Query(ctx, fmt.Sprintf("SELECT * FROM read_json(?, format = 'newline_delimited', compression = ?) LIMIT %d", sampleRows), path, compression)
	default:
		var delim string
		var header bool
		if err := db.QueryRow(ctx, "SELECT Delimiter, HasHeader FROM sniff_csv(?, compression = ?)", path, compression).Scan(&delim, &header); err != nil {
			return nil, fmt.Errorf("sniff %s: %w", path, sample.Sanitize(err))
		}
		switch delim {
		case ",":
			t.Format = "csv"
		case "\t":
			t.Format = "tsv"
		}
		t.Note = fmt.Sprintf("CSV, delimiter %q", delim)
		if !header {
			t.Note += ", no header row (ingest needs one: add a first line with column names)"
		}
		rows, err = db.Query(ctx, fmt.Sprintf("SELECT * FROM read_csv(?, header = true, all_varchar = true, delim = ?, compression = ?) LIMIT %d", sampleRows),
			path, delim, compression)
	}
	if err != nil {
		return nil, fmt.Errorf("sniff %s: %w", path, sample.Sanitize(err))
	}
	defer rows.Close()
	if t.Columns, err = rows.Columns(); err != nil {
		return nil, err
	}
	t.Values = make([][]string, len(t.Columns))
	vals := make([]any, len(t.Columns))
	ptrs := make([]any, len(t.Columns))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("sniff %s: %w", path, sample.Sanitize(err))
		}
		for i, v := range vals {
			t.Values[i] = append(t.Values[i], text(v))
		}
		t.Rows++
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sniff %s: %w", path, sample.Sanitize(err))
	}
	return t, nil
}

// text renders a scanned DuckDB value as the text ingest would see.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}

func firstByte(path string) byte {
	lines, err := sample.Head(path, 1)
	if err != nil || len(lines) == 0 {
		return 0
	}
	s := strings.TrimSpace(lines[0])
	if s == "" {
		return 0
	}
	return s[0]
}

// Guess is a proposed value with the reason for it; an empty Value is a
// value init could not guess (a TODO).
type Guess struct {
	Value string
	Why   string
}

type candidate struct {
	score int
	col   int
	field string
	why   string
}

// assign gives each field the best-scoring column and each column at most
// one field, skipping candidates skip rejects; it returns the guesses and
// the columns used.
func assign(cands []candidate, names []string, skip func(candidate, map[string]Guess) bool) (map[string]Guess, map[int]bool) {
	sort.SliceStable(cands, func(a, b int) bool {
		if cands[a].score != cands[b].score {
			return cands[a].score > cands[b].score
		}
		return cands[a].col < cands[b].col
	})
	out := map[string]Guess{}
	used := map[int]bool{}
	for _, c := range cands {
		if used[c.col] || out[c.field].Value != "" || (skip != nil && skip(c, out)) {
			continue
		}
		used[c.col] = true
		out[c.field] = Guess{Value: names[c.col], Why: c.why}
	}
	return out, used
}

// mapCustomerColumns proposes the column of each canonical customer field,
// from column names first and sample values second, and returns the
// columns left over (candidates for case-specific elements).
func mapCustomerColumns(t *table) (map[string]Guess, []string) {
	var cands []candidate
	for i, col := range t.Columns {
		vals := t.Values[i]
		j := joined(col)
		if f, ok := customerNames[j]; ok {
			score := 100
			if j == "id" {
				score = 60
			}
			cands = append(cands, candidate{score, i, f, fmt.Sprintf("column name %q", col)})
		}
		for _, w := range tokens(col) {
			if f, ok := customerWords[w]; ok {
				cands = append(cands, candidate{50, i, f, fmt.Sprintf("column name %q contains %q", col, w)})
			}
		}
		if r, n := share(vals, isEmail); n > 0 && r >= 0.8 {
			cands = append(cands, candidate{45, i, "email", fmt.Sprintf("%.0f%% of %d sampled values look like email addresses", 100*r, n)})
		}
		if r, n := share(vals, isPhone); n > 0 && r >= 0.8 {
			cands = append(cands, candidate{40, i, "phone", fmt.Sprintf("%.0f%% of %d sampled values look like phone numbers", 100*r, n)})
		}
		if r, n := share(vals, isBirthDate); n > 0 && r >= 0.8 {
			cands = append(cands, candidate{30, i, "date_of_birth", fmt.Sprintf("%.0f%% of %d sampled values are dates of birth", 100*r, n)})
		}
		if i == 0 && unique(vals) {
			cands = append(cands, candidate{15, i, "customer_id", "first column, values unique in the sample"})
		}
	}
	out, used := assign(cands, t.Columns, func(c candidate, out map[string]Guess) bool {
		return c.field == "full_name" && out["first_name"].Value != "" && out["last_name"].Value != ""
	})
	if g, ok := out["customer_id"]; ok && !unique(t.Values[slices.Index(t.Columns, g.Value)]) {
		g.Why += "; WARNING: values repeat in the sample, customer_id must be unique"
		out["customer_id"] = g
	}
	var rest []string
	for i, col := range t.Columns {
		if !used[i] {
			rest = append(rest, col)
		}
	}
	return out, rest
}

// isBirthDate is a date whose year a living customer could be born in.
func isBirthDate(v string) bool {
	if !isDate(v) {
		return false
	}
	var y int
	switch {
	case len(v) == 8: // 19870314
		fmt.Sscanf(v[:4], "%d", &y)
	case v[4] == '-':
		fmt.Sscanf(v[:4], "%d", &y)
	default:
		fmt.Sscanf(v[len(v)-4:], "%d", &y)
	}
	return y >= 1900 && y <= time.Now().Year()
}

var elementRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// elementName proposes a case-specific element name for a column:
// "PlanName" -> plan, "ssn_last4" -> ssn_last4.
func elementName(col string) string {
	ws := tokens(col)
	if len(ws) > 1 && (ws[len(ws)-1] == "name" || ws[len(ws)-1] == "desc") {
		ws = ws[:len(ws)-1]
	}
	name := strings.Join(ws, "_")
	if !elementRE.MatchString(name) || slices.Contains(casefile.CustomerFields, name) || builtinElement(name) {
		return ""
	}
	return name
}

func builtinElement(name string) bool {
	for _, e := range casefile.BuiltinElements {
		if e.Name == name {
			return true
		}
	}
	return false
}
