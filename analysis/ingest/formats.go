package ingest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/queries"
)

// unitReader reads the units (lines, or CloudTrail records) of one file.
type unitReader func(path string, fn func(line) error) (lineStats, error)

// readerFor returns how a format's files are read in Go, or nil when DuckDB
// reads them directly (parquet).
func readerFor(format string) unitReader {
	switch format {
	case "parquet":
		return nil
	case "cloudtrail":
		return readRecords
	}
	return readLines
}

// hasHeader reports whether each file of the format starts with a header line.
func hasHeader(format string) bool { return format == "csv" || format == "tsv" }

// logScript is the template data of an ingest_<format>.sql script. Every
// string in it is SQL text built here from fixed fragments, numbers and
// quoted identifiers (parquet columns): JSON paths from the case file are
// bound as $paths, and csv/tsv columns are looked up in each file's header
// by Go, which passes positions (log_header).
type logScript struct {
	Table string // access, or identities for an identity source
	// Rejects: the quarantining pass (units not accepted go to rejects).
	Rejects bool
	TSV     bool
	Extra   bool   // combined: a field after the 9th is mapped
	From    string // JSON formats: the CTE the fields are read from
	F       fieldExprs
	CT      cloudTrailFields
	// MethodType and PathType (JSON formats) are true for a unit whose
	// method or path is a JSON number, list, object or boolean.
	MethodType, PathType string
	// Structure (JSON formats), when not empty, is the json_transform
	// structure bound as $structure: v is then a struct, not a list.
	Structure string
}

// fieldExprs are SQL expressions for the fields CTE of a format's script:
// a typed NULL when the source does not have the field, a column of an
// earlier CTE when the script derives it (request line, CloudTrail event).
type fieldExprs struct {
	Time, RequestID, ClientIP, Principal, Method, URI, Query, Status, Bytes, UserAgent, Protocol string
}

// cloudTrailFields are positions in $paths of the event members CloudTrail
// requests are derived from, and (V) the SQL expressions of their values.
type cloudTrailFields struct {
	EventSource, EventName, ErrorCode, Parameters int
	V                                             struct{ EventSource, EventName, ErrorCode, Parameters string }
}

// scriptFor builds the template data of one source's script, the JSON
// paths bound as $paths (JSON formats) and the mapped columns, lower case,
// whose positions log_header lists (csv, tsv).
func scriptFor(src casefile.LogSource, table string) (s logScript, paths, columns []string, err error) {
	spec := casefile.LogFormatSpecs[src.Format]
	s = logScript{Table: table, TSV: src.Format == "tsv", From: "doc"}
	if src.Format == "cloudtrail" {
		s.From = "event"
	}
	// keys[k] is the chain of object keys $paths[k] names, nil when it is
	// a JSONPath of the case file's own (see jsonStructure).
	var keys [][]string
	index := func(list *[]string, v string) int {
		for i, p := range *list {
			if p == v {
				return i + 1
			}
		}
		*list = append(*list, v)
		if list == &paths {
			keys = append(keys, jsonKeys(v))
		}
		return len(*list)
	}
	// at is the position in $paths of each candidate of the field last
	// located (JSON formats), for the checks of its JSON type.
	var at []int
	expr := func(field string) (string, error) {
		at = nil
		locs := src.Locations(field)
		if len(locs) == 0 {
			return "CAST(NULL AS VARCHAR)", nil
		}
		defaulted := src.Fields[field] == ""
		var cands []string
		for _, loc := range locs {
			switch spec.Locate {
			case casefile.LocatePath:
				at = append(at, index(&paths, jsonPath(loc).(string)))
				cands = append(cands, fmt.Sprintf("v[%d]", at[len(at)-1]))
				if defaulted && strings.Contains(loc, ".") && !strings.HasPrefix(loc, "$") {
					// A default key may be logged nested or as a flat "a.b" key.
					at = append(at, index(&paths, jsonPath(`$."`+strings.ReplaceAll(loc, `"`, `\"`)+`"`).(string)))
					cands = append(cands, fmt.Sprintf("v[%d]", at[len(at)-1]))
				}
			case casefile.LocateColumn:
				if src.Format == "parquet" {
					cands = append(cands, "CAST("+queries.Ident(loc)+" AS VARCHAR)")
				} else {
					cands = append(cands, fmt.Sprintf("q[p[%d]]", index(&columns, strings.ToLower(strings.TrimSpace(loc)))))
				}
			case casefile.LocatePosition:
				n, err := strconv.Atoi(loc)
				if err != nil {
					return "", fmt.Errorf("log source %q: field %s: %q is not a field number", src.Name, field, loc)
				}
				if src.Format == "combined" {
					s.Extra = s.Extra || n > 9
					cands = append(cands, combinedField(n))
				} else {
					c := albField(n)
					if field == "client_ip" {
						c = "bs_host(" + c + ")"
					}
					cands = append(cands, c)
				}
			}
		}
		return pick(cands), nil
	}
	var methodAt, uriAt []int
	for _, f := range []struct {
		dst   *string
		field string
	}{
		{&s.F.Time, "time"}, {&s.F.RequestID, "request_id"}, {&s.F.ClientIP, "client_ip"},
		{&s.F.Principal, "principal"}, {&s.F.Method, "method"}, {&s.F.Query, "query"},
		{&s.F.Status, "status"}, {&s.F.Bytes, "bytes"}, {&s.F.UserAgent, "user_agent"},
		{&s.F.Protocol, "protocol"},
	} {
		if *f.dst, err = expr(f.field); err != nil {
			return s, nil, nil, err
		}
		if f.field == "method" {
			methodAt = at
		}
	}
	uriField := "path"
	if src.Fields["url"] != "" {
		uriField = "url"
	}
	if s.F.URI, err = expr(uriField); err != nil {
		return s, nil, nil, err
	}
	uriAt = at
	if spec.Locate == casefile.LocatePosition {
		// From the request line (r in the scripts).
		s.F.Method, s.F.URI, s.F.Protocol = "r.method", "r.url", "r.protocol"
	}
	if src.Format == "cloudtrail" {
		// Unmapped, these are derived from the event (ct_* in the script).
		if src.Fields["method"] == "" {
			s.F.Method = "ct_method"
		}
		if src.Fields["status"] == "" {
			s.F.Status = "ct_status"
		}
		if src.Fields["path"] == "" && src.Fields["url"] == "" {
			s.F.URI = "ct_uri"
		}
		if src.Fields["query"] == "" && src.Fields["url"] == "" {
			s.F.Query = "ct_query"
		}
		s.CT = cloudTrailFields{
			EventSource: index(&paths, `$."eventSource"`),
			EventName:   index(&paths, `$."eventName"`),
			ErrorCode:   index(&paths, `$."errorCode"`),
			Parameters:  index(&paths, `$."requestParameters"`),
		}
		if s.F.Method == "ct_method" {
			methodAt = []int{s.CT.EventName}
		}
		if s.F.URI == "ct_uri" {
			s.PathType = "(" + notString([]int{s.CT.EventSource}) + " OR " + notString([]int{s.CT.EventName}) + ")"
			uriAt = nil
		}
	}
	if spec.Locate == casefile.LocatePath {
		if len(methodAt) > 0 {
			s.MethodType = notString(methodAt)
		}
		if len(uriAt) > 0 {
			s.PathType = notString(uriAt)
		}
		v := func(k int) string { return fmt.Sprintf("v[%d]", k) }
		if structure, ok := jsonStructure(keys); ok {
			// One json_transform into a struct costs less than a list of
			// json_extract_string values (parsing and picking each out).
			s.Structure = structure
			v = func(k int) string {
				var b strings.Builder
				b.WriteString("v")
				for _, key := range keys[k-1] {
					b.WriteString("." + queries.Ident(key))
				}
				return b.String()
			}
			for _, f := range []*string{&s.F.Time, &s.F.RequestID, &s.F.ClientIP, &s.F.Principal, &s.F.Method, &s.F.URI,
				&s.F.Query, &s.F.Status, &s.F.Bytes, &s.F.UserAgent, &s.F.Protocol, &s.MethodType, &s.PathType} {
				*f = valueRef.ReplaceAllStringFunc(*f, func(m string) string {
					k, _ := strconv.Atoi(m[2 : len(m)-1])
					return v(k)
				})
			}
		}
		if src.Format == "cloudtrail" {
			s.CT.V.EventSource, s.CT.V.EventName, s.CT.V.ErrorCode, s.CT.V.Parameters = v(s.CT.EventSource), v(s.CT.EventName), v(s.CT.ErrorCode), v(s.CT.Parameters)
		}
	}
	return s, paths, columns, nil
}

// valueRef is how the field expressions of a JSON format name the value at
// the n-th path: v[n].
var valueRef = regexp.MustCompile(`\bv\[[0-9]+\]`)

// jsonKeys returns the object keys a JSONPath built by jsonPath names, nil
// for any other JSONPath (a case file's own $... path, which may index
// lists or use wildcards).
func jsonKeys(path string) []string {
	rest, ok := strings.CutPrefix(path, "$.")
	if !ok {
		return nil
	}
	var keys []string
	for rest != "" {
		if !strings.HasPrefix(rest, `"`) {
			return nil
		}
		end := 1
		for end < len(rest) && (rest[end] != '"' || rest[end-1] == '\\') {
			end++
		}
		if end == len(rest) {
			return nil
		}
		keys = append(keys, strings.ReplaceAll(rest[1:end], `\"`, `"`))
		rest = rest[end+1:]
		if rest != "" {
			if rest[0] != '.' {
				return nil
			}
			rest = rest[1:]
		}
	}
	return keys
}

// jsonStructure is the json_transform structure that yields, as VARCHAR,
// the value at every chain of keys; ok is false when some chain is no
// plain chain of keys, when one names an object another reads as a value,
// or when two keys of one object differ only by case (struct fields are
// case-insensitive in DuckDB).
func jsonStructure(keys [][]string) (string, bool) {
	type node struct {
		leaf     bool
		order    []string
		children map[string]*node
	}
	root := &node{children: map[string]*node{}}
	for _, chain := range keys {
		if len(chain) == 0 {
			return "", false
		}
		n := root
		for depth, key := range chain {
			if key == "" || n.leaf {
				return "", false
			}
			c := n.children[key]
			if c == nil {
				for _, other := range n.order {
					if strings.EqualFold(other, key) {
						return "", false
					}
				}
				c = &node{children: map[string]*node{}}
				n.children[key] = c
				n.order = append(n.order, key)
			}
			last := depth == len(chain)-1
			if last && len(c.order) > 0 || !last && c.leaf {
				return "", false
			}
			c.leaf = c.leaf || last
			n = c
		}
	}
	var write func(n *node) string
	write = func(n *node) string {
		if n.leaf {
			return `"VARCHAR"`
		}
		parts := make([]string, len(n.order))
		for i, key := range n.order {
			k, _ := json.Marshal(key)
			parts[i] = string(k) + ":" + write(n.children[key])
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	return write(root), true
}

// notString is the SQL test (see bs_json_not_string) that the value a
// field takes from the JSON paths at the positions at of $paths (its
// candidates, the first present one winning as in pick) is not a string.
func notString(at []int) string {
	test := func(k int) string { return fmt.Sprintf("bs_json_not_string(v[%d], text, $paths[%d])", k, k) }
	if len(at) == 1 {
		return test(at[0])
	}
	var b strings.Builder
	b.WriteString("CASE")
	for _, k := range at[:len(at)-1] {
		fmt.Fprintf(&b, " WHEN bs_present(v[%d]) IS NOT NULL THEN %s", k, test(k))
	}
	fmt.Fprintf(&b, " ELSE %s END", test(at[len(at)-1]))
	return b.String()
}

// combinedFields are the SQL expressions of the nine fields of the combined
// log format in ingest_combined.sql's terms: h is the line's head (%h %l
// %u [%t]), sb its status and size, p the line split on quotes.
var combinedFields = []string{"h.host", "h.ident", "h.user", "h.time", "request", "sb[1]", "sb[2]", "bs_unmask(p[4])", "bs_unmask(p[6])"}

// combinedField is the SQL expression of combined-format field n: one of
// the nine, or a field a site appended (f, from field 10).
func combinedField(n int) string {
	if n <= len(combinedFields) {
		return combinedFields[n-1]
	}
	return fmt.Sprintf("f[%d]", n-len(combinedFields))
}

// albQuoted are the ALB fields AWS writes in double quotes, by position.
var albQuoted = map[int]bool{13: true, 14: true, 18: true, 19: true, 20: true, 23: true, 24: true, 25: true,
	26: true, 27: true, 28: true, 29: true, 31: true, 32: true, 33: true}

// albField is the SQL expression of ALB field n in ingest_alb.sql's terms:
// p is the line split on double quotes, so a quoted field is a whole even
// part, and an unquoted one a space-separated token of an odd part (h for
// the first). Fields past 33 are taken as unquoted, as AWS's last ones are.
func albField(n int) string {
	part, token := 1, 0
	for f := 1; f <= n; f++ {
		switch {
		case albQuoted[f] && part%2 == 1:
			part, token = part+1, 0
		case albQuoted[f]:
			part, token = part+2, 0 // past the " " between two quoted fields
		case part%2 == 0:
			part, token = part+1, 1
		default:
			token++
		}
	}
	switch {
	case token == 0:
		return fmt.Sprintf("bs_unescape(p[%d])", part)
	case part == 1:
		return fmt.Sprintf("h[%d]", token)
	}
	return fmt.Sprintf("string_split(trim(p[%d]), ' ')[%d]", part, token)
}

// pick is the first candidate that is present; the last one is taken as
// it is, so that a "-" there keeps its meaning (a size of 0).
func pick(cands []string) string {
	if len(cands) == 1 {
		return cands[0]
	}
	parts := make([]string, len(cands))
	for i, c := range cands {
		if i < len(cands)-1 {
			c = "bs_present(" + c + ")"
		}
		parts[i] = c
	}
	return "coalesce(" + strings.Join(parts, ", ") + ")"
}
