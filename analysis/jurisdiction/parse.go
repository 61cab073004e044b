package jurisdiction

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Errors of Parse. Every error it returns wraps ErrInvalid and the kind of
// each problem found, so errors.Is tells what is wrong.
var (
	ErrInvalid       = errors.New("invalid rules table")
	ErrColumns       = errors.New("wrong columns")
	ErrRequired      = errors.New("required cell empty")
	ErrCode          = errors.New("malformed code")
	ErrDuplicateCode = errors.New("duplicate code")
	ErrElement       = errors.New("unknown element")
	ErrNumber        = errors.New("malformed number")
	ErrDate          = errors.New("malformed date")
	ErrURL           = errors.New("malformed source URL")
)

// Columns are the table's columns; README.md defines each.
var Columns = []string{
	"code", "name", "triggers", "regulator", "regulator_threshold",
	"regulator_deadline_days", "cra_threshold", "deadline_days",
	"citation", "source_url", "as_of", "notes",
}

// required are the columns whose cells may not be blank.
var required = []string{"code", "name", "triggers", "citation", "source_url", "as_of"}

// codeRE is a region and a jurisdiction: US-CA, US-DC, EU-GDPR.
var codeRE = regexp.MustCompile(`^[A-Z]{2}-[A-Z0-9]{2,10}$`)

// Problem is one thing wrong with a table, located by line and column.
type Problem struct {
	Line   int
	Code   string
	Column string
	Kind   error
	Msg    string
}

// Problems is every problem found in one table, reported at once so the
// table is fixed in one pass.
type Problems struct {
	Source string
	Items  []Problem
}

// Error lists each problem on its own line as source:line (code): column: message.
func (p *Problems) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d problem(s):", p.Source, len(p.Items))
	for _, it := range p.Items {
		fmt.Fprintf(&b, "\n  %s:%d", p.Source, it.Line)
		if it.Code != "" {
			fmt.Fprintf(&b, " (%s)", it.Code)
		}
		if it.Column != "" {
			fmt.Fprintf(&b, ": %s", it.Column)
		}
		fmt.Fprintf(&b, ": %s", it.Msg)
	}
	return b.String()
}

// Unwrap makes errors.Is match ErrInvalid and the kind of every problem.
func (p *Problems) Unwrap() []error {
	out := []error{ErrInvalid}
	for _, it := range p.Items {
		out = append(out, it.Kind)
	}
	return out
}

// Parse reads and validates a rules table in the format of rules.csv (the
// case file uses it for overrides). source names the table in errors.
// Trigger elements must be in Elements or extraElements. A UTF-8 byte-order
// mark is allowed; columns may come in any order but must all be present.
func Parse(r io.Reader, source string, extraElements ...string) ([]Rule, error) {
	p := &Problems{Source: source}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked here, to report the line and carry on
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("no header line")
		}
		p.Items = append(p.Items, Problem{Line: 1, Kind: ErrColumns, Msg: fmt.Sprintf("%v; the first line must name the columns %s", err, strings.Join(Columns, ","))})
		return nil, p
	}
	col, ok := columnIndex(header, p)
	if !ok {
		return nil, p
	}
	var rules []Rule
	firstLine := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			p.Items = append(p.Items, Problem{Line: line, Kind: ErrColumns, Msg: fmt.Sprintf("%v; fix the quoting of this line", err)})
			break // after a quoting error the reader cannot find the next line reliably
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			p.Items = append(p.Items, Problem{Line: line, Kind: ErrColumns, Msg: fmt.Sprintf("%d cells, want %d (one per column); quote cells that contain commas", len(rec), len(header))})
			continue
		}
		rule, ok := parseRow(rec, col, line, p, extraElements)
		if !ok {
			continue
		}
		if prev, dup := firstLine[rule.Code]; dup {
			p.Items = append(p.Items, Problem{Line: line, Code: rule.Code, Column: "code", Kind: ErrDuplicateCode, Msg: fmt.Sprintf("already used on line %d; keep one row per jurisdiction", prev)})
			continue
		}
		firstLine[rule.Code] = line
		rules = append(rules, rule)
	}
	if len(p.Items) > 0 {
		return nil, p
	}
	return rules, nil
}

// columnIndex maps each column name to its position, reporting unknown,
// repeated and missing columns.
func columnIndex(header []string, p *Problems) (map[string]int, bool) {
	col := map[string]int{}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if !slices.Contains(Columns, h) {
			p.Items = append(p.Items, Problem{Line: 1, Column: h, Kind: ErrColumns, Msg: "unknown column; the columns are " + strings.Join(Columns, ",")})
			continue
		}
		if _, dup := col[h]; dup {
			p.Items = append(p.Items, Problem{Line: 1, Column: h, Kind: ErrColumns, Msg: "column named twice; keep one"})
			continue
		}
		col[h] = i
	}
	for _, c := range Columns {
		if _, ok := col[c]; !ok {
			p.Items = append(p.Items, Problem{Line: 1, Column: c, Kind: ErrColumns, Msg: "missing column; add it (cells may be blank where README.md allows)"})
		}
	}
	return col, len(p.Items) == 0
}

// parseRow turns one record into a Rule, appending every problem to p.
func parseRow(rec []string, col map[string]int, line int, p *Problems, extra []string) (Rule, bool) {
	cell := func(name string) string { return strings.TrimSpace(rec[col[name]]) }
	before := len(p.Items)
	code := cell("code")
	bad := func(column string, kind error, format string, a ...any) {
		p.Items = append(p.Items, Problem{Line: line, Code: code, Column: column, Kind: kind, Msg: fmt.Sprintf(format, a...)})
	}
	for _, c := range required {
		if cell(c) == "" {
			bad(c, ErrRequired, "empty; every row needs a %s", c)
		}
	}
	if code != "" && !codeRE.MatchString(code) {
		bad("code", ErrCode, "%q is not a region and jurisdiction such as US-CA or EU-GDPR", code)
	}
	r := Rule{
		Code:      code,
		Name:      cell("name"),
		Regulator: cell("regulator"),
		Citation:  cell("citation"),
	}
	if t := cell("triggers"); t != "" {
		trig, err := ParseTrigger(t)
		if err != nil {
			bad("triggers", ErrTrigger, "%v", err)
		}
		for _, c := range trig.Combinations {
			for _, el := range c {
				if !known(el, extra) {
					bad("triggers", ErrElement, "%q is not an element; use one of %s (README.md defines them)%s", el, strings.Join(ElementNames(), ", "), nearest(el))
				}
			}
		}
		r.Triggers = trig
	}
	number := func(name string) int {
		s := cell(name)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || strings.ContainsAny(s, "+-") || len(s) > 9 {
			bad(name, ErrNumber, "%q is not a whole number from 1 up; write digits only (no separators), or leave it blank for none", s)
			return 0
		}
		return n
	}
	r.RegulatorThreshold = number("regulator_threshold")
	r.RegulatorDeadlineDays = number("regulator_deadline_days")
	r.CRAThreshold = number("cra_threshold")
	r.DeadlineDays = number("deadline_days")
	if r.Regulator == "" && (r.RegulatorThreshold > 0 || r.RegulatorDeadlineDays > 0) {
		bad("regulator", ErrRequired, "empty but a regulator threshold or deadline is given; name the regulator or clear them")
	}
	if s := cell("as_of"); s != "" {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			bad("as_of", ErrDate, "%q is not a date; write YYYY-MM-DD", s)
		}
		r.AsOf = d
	}
	for _, u := range strings.Fields(cell("source_url")) {
		pu, err := url.Parse(u)
		if err != nil || (pu.Scheme != "https" && pu.Scheme != "http") || pu.Host == "" {
			bad("source_url", ErrURL, "%q is not an http(s) address; separate several addresses with spaces", u)
			continue
		}
		r.SourceURLs = append(r.SourceURLs, u)
	}
	for _, n := range strings.Split(cell("notes"), ";") {
		if n = strings.TrimSpace(n); n != "" {
			r.Notes = append(r.Notes, n)
		}
	}
	return r, len(p.Items) == before
}

// nearest suggests an element that got was probably meant to be.
func nearest(got string) string {
	for _, e := range Elements {
		if strings.HasPrefix(got, e.Name) || strings.HasPrefix(e.Name, got) {
			return fmt.Sprintf(" (did you mean %q?)", e.Name)
		}
	}
	return ""
}
