package ingest

import (
	"fmt"
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
	Lines bool   // units are in log_lines (every format but parquet)
	TSV   bool
	Extra bool   // combined: a field after the 9th is mapped
	From  string // JSON formats: the CTE the fields are read from
	F     fieldExprs
	CT    cloudTrailFields
}

// fieldExprs are SQL expressions for the fields CTE of a format's script:
// a typed NULL when the source does not have the field, a column of an
// earlier CTE when the script derives it (request line, CloudTrail event).
type fieldExprs struct {
	Time, RequestID, ClientIP, Principal, Method, URI, Query, Status, Bytes, UserAgent, Protocol string
}

// cloudTrailFields are positions in $paths of the event members CloudTrail
// requests are derived from.
type cloudTrailFields struct {
	EventSource, EventName, ErrorCode, Parameters int
}

// scriptFor builds the template data of one source's script, the JSON
// paths bound as $paths (JSON formats) and the mapped columns, lower case,
// whose positions log_header lists (csv, tsv).
func scriptFor(src casefile.LogSource, table string) (s logScript, paths, columns []string, err error) {
	spec := casefile.LogFormatSpecs[src.Format]
	s = logScript{Table: table, Lines: readerFor(src.Format) != nil, TSV: src.Format == "tsv", From: "doc"}
	if src.Format == "cloudtrail" {
		s.From = "event"
	}
	index := func(list *[]string, v string) int {
		for i, p := range *list {
			if p == v {
				return i + 1
			}
		}
		*list = append(*list, v)
		return len(*list)
	}
	expr := func(field string) (string, error) {
		locs := src.Locations(field)
		if len(locs) == 0 {
			return "CAST(NULL AS VARCHAR)", nil
		}
		defaulted := src.Fields[field] == ""
		var cands []string
		for _, loc := range locs {
			switch spec.Locate {
			case casefile.LocatePath:
				cands = append(cands, fmt.Sprintf("v[%d]", index(&paths, jsonPath(loc).(string))))
				if defaulted && strings.Contains(loc, ".") && !strings.HasPrefix(loc, "$") {
					// A default key may be logged nested or as a flat "a.b" key.
					cands = append(cands, fmt.Sprintf("v[%d]", index(&paths, jsonPath(`$."`+strings.ReplaceAll(loc, `"`, `\"`)+`"`).(string))))
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
					cands = append(cands, fmt.Sprintf("f[%d]", n))
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
	}
	uriField := "path"
	if src.Fields["url"] != "" {
		uriField = "url"
	}
	if s.F.URI, err = expr(uriField); err != nil {
		return s, nil, nil, err
	}
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
	}
	return s, paths, columns, nil
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
