package scaffold

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/breachscope/breachscope/analysis/sample"
	"github.com/breachscope/breachscope/analysis/store"
)

// Log formats init recognises by content. Generic formats (jsonl, csv,
// tsv, parquet) need a field mapping in case.yaml; the others have a fixed
// layout their reader knows.
const (
	formatJSONL      = "jsonl"
	formatAPIGW      = "apigw"
	formatCloudTrail = "cloudtrail"
	formatCombined   = "combined"
	formatALB        = "alb"
	formatCSV        = "csv"
	formatTSV        = "tsv"
	formatParquet    = "parquet"
)

// fixedLayout says whether a log format's fields are fixed by the format.
func fixedLayout(format string) bool {
	switch format {
	case formatCombined, formatALB, formatAPIGW, formatCloudTrail:
		return true
	}
	return false
}

// logFile is one sniffed log file: its format and a sample of its records
// as flat key -> text maps (JSON paths dotted, fixed formats under the
// canonical field names).
type logFile struct {
	Path   string
	Format string // "" when not recognised
	// What describes the format; Hits of NonEmpty sampled lines had it.
	What           string
	Hits, NonEmpty int
	Lines          int // sampled lines (or records for Parquet)
	Records        []map[string]string
}

// why explains the detection, summed over the files of a source.
func why(files []*logFile) string {
	if len(files) == 0 {
		return ""
	}
	hits, nonEmpty := 0, 0
	for _, f := range files {
		hits += f.Hits
		nonEmpty += f.NonEmpty
	}
	what := files[0].What
	if nonEmpty == 0 {
		return what
	}
	return fmt.Sprintf("%s: %d of %d sampled lines", what, hits, nonEmpty)
}

// keys returns every key seen in the records, sorted.
func (f *logFile) keys() []string {
	seen := map[string]bool{}
	for _, r := range f.Records {
		for k := range r {
			seen[k] = true
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

var (
	// combinedRE is the NCSA combined (and common) log format of nginx and Apache.
	combinedRE = regexp.MustCompile(`^(\S+) \S+ (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" ([0-9]{3}) ([0-9]+|-)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?`)
	// albRE is an AWS Application Load Balancer access log entry.
	albRE        = regexp.MustCompile(`^(http|https|h2|grpcs|ws|wss) ([0-9]{4}-[0-9]{2}-[0-9]{2}T\S+) \S+ (\S+) \S+ \S+ \S+ \S+ ([0-9]{3}|-) \S+ \S+ ([0-9]+|-) "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"`)
	schemeHostRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://[^/]*`)
)

// sniffLog samples a log file and recognises its format by content.
func sniffLog(ctx context.Context, db *store.DB, path string, n int) (*logFile, error) {
	f := &logFile{Path: path}
	kind, err := sample.Detect(path)
	if err != nil {
		return nil, err
	}
	if kind == sample.Parquet {
		f.Format, f.What = formatParquet, "Parquet"
		return f, readTableRecords(ctx, db, f, "SELECT * FROM read_parquet(?) LIMIT %d", path, n)
	}
	lines, err := sample.Spread(path, n, 8, true)
	if err != nil {
		return nil, err
	}
	f.Lines = len(lines)
	if len(lines) > 0 && strings.HasPrefix(strings.TrimSpace(lines[0]), "{") {
		if recs, ok := cloudTrailDocument(path); ok {
			f.Format, f.What, f.Records = formatCloudTrail, "CloudTrail files (JSON documents with Records)", recs
			return f, nil
		}
	}
	var jsonRecs, combined, alb []map[string]string
	nonEmpty := 0
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		nonEmpty++
		if r, ok := jsonRecord(l); ok {
			jsonRecs = append(jsonRecs, r)
		} else if r, ok := parseCombined(l); ok {
			combined = append(combined, r)
		} else if r, ok := parseALB(l); ok {
			alb = append(alb, r)
		}
	}
	f.NonEmpty = nonEmpty
	most := func(n int) bool { return nonEmpty > 0 && 2*n >= nonEmpty }
	switch {
	case most(len(jsonRecs)):
		f.Records, f.Hits = jsonRecs, len(jsonRecs)
		f.Format = jsonFlavour(jsonRecs)
		f.What = "JSON objects"
		switch f.Format {
		case formatCloudTrail:
			f.What = "CloudTrail events (JSON with eventSource and eventName)"
		case formatAPIGW:
			f.What = "API Gateway access logs (JSON with requestId, httpMethod and requestTime)"
		}
	case most(len(combined)):
		f.Format, f.Records, f.Hits = formatCombined, combined, len(combined)
		f.What = "nginx/Apache combined log lines"
	case most(len(alb)):
		f.Format, f.Records, f.Hits = formatALB, alb, len(alb)
		f.What = "AWS ALB access log entries"
	default:
		return f, sniffDelimited(ctx, db, f, kind, n)
	}
	return f, nil
}

// sniffDelimited recognises CSV and TSV logs with DuckDB's sniffer.
func sniffDelimited(ctx context.Context, db *store.DB, f *logFile, kind sample.Kind, n int) error {
	compression := "none"
	if kind == sample.Gzip {
		compression = "gzip"
	}
	var delim string
	var header bool
	var cols int
	err := db.QueryRow(ctx, "SELECT Delimiter, HasHeader, len(Columns) FROM sniff_csv(?, compression = ?)", f.Path, compression).Scan(&delim, &header, &cols)
	if err != nil || !header || cols < 3 || (delim != "," && delim != "\t") {
		f.Format, f.What = "", "not JSON lines, combined, ALB, CloudTrail, CSV or TSV with a header row"
		return nil
	}
	f.Format = formatCSV
	if delim == "\t" {
		f.Format = formatTSV
	}
	f.What = fmt.Sprintf("delimited text with a header row (delimiter %q, %d columns)", delim, cols)
	f.NonEmpty = 0
	q := "SELECT * FROM read_csv(?, header = true, all_varchar = true, delim = " + map[string]string{",": "','", "\t": "'\\t'"}[delim] +
		", compression = '" + compression + "') LIMIT %d"
	return readTableRecords(ctx, db, f, q, f.Path, n)
}

// readTableRecords reads up to n records of a table-shaped log with DuckDB,
// flattening nested structs into dotted keys.
func readTableRecords(ctx context.Context, db *store.DB, f *logFile, query, path string, n int) error {
	rows, err := db.Query(ctx, fmt.Sprintf(query, n), path)
	if err != nil {
		return fmt.Errorf("sniff %s: %w", path, sample.Sanitize(err))
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("sniff %s: %w", path, sample.Sanitize(err))
		}
		r := map[string]string{}
		for i, v := range vals {
			flatten(r, cols[i], v)
		}
		f.Records = append(f.Records, r)
		f.Lines++
	}
	return rows.Err()
}

// flatten stores v under key, nested maps under dotted keys.
func flatten(out map[string]string, key string, v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, sub := range x {
			flatten(out, key+"."+k, sub)
		}
	case nil:
	case []any:
		b, _ := json.Marshal(x)
		out[key] = string(b)
	case json.Number:
		out[key] = x.String()
	default:
		out[key] = text(v)
	}
}

// jsonRecord parses one JSON-lines record into a flat map.
func jsonRecord(line string) (map[string]string, bool) {
	if !strings.HasPrefix(line, "{") {
		return nil, false
	}
	dec := json.NewDecoder(strings.NewReader(line))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, false
	}
	r := map[string]string{}
	for k, v := range m {
		flatten(r, k, v)
	}
	return r, true
}

// jsonFlavour tells CloudTrail events and API Gateway access logs from
// other JSON lines by the keys most records carry.
func jsonFlavour(recs []map[string]string) string {
	ct, gw := 0, 0
	for _, r := range recs {
		if has(r, "eventVersion") && has(r, "eventSource") && has(r, "eventName") {
			ct++
		}
		if has(r, "requestId") && has(r, "httpMethod") && (has(r, "requestTime") || has(r, "requestTimeEpoch")) {
			gw++
		}
	}
	switch {
	case 2*ct > len(recs):
		return formatCloudTrail
	case 2*gw > len(recs):
		return formatAPIGW
	}
	return formatJSONL
}

func has(r map[string]string, k string) bool { _, ok := r[k]; return ok }

// maxCloudTrailBytes bounds the CloudTrail document read whole; CloudTrail
// writes a file every few minutes, so real ones are far smaller.
const maxCloudTrailBytes = 256 << 20

// cloudTrailDocument reads a CloudTrail log file ({"Records": [...]}).
func cloudTrailDocument(path string) ([]map[string]string, bool) {
	r, err := sample.Open(path)
	if err != nil {
		return nil, false
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, maxCloudTrailBytes))
	if err != nil || !bytes.Contains(b[:min(len(b), 4096)], []byte(`"Records"`)) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc struct {
		Records []map[string]any `json:"Records"`
	}
	if err := dec.Decode(&doc); err != nil || len(doc.Records) == 0 {
		return nil, false
	}
	out := make([]map[string]string, 0, len(doc.Records))
	for _, rec := range doc.Records {
		r := map[string]string{}
		for k, v := range rec {
			flatten(r, k, v)
		}
		out = append(out, r)
	}
	return out, true
}

// parseCombined reads an nginx/Apache combined log line into canonical fields.
func parseCombined(line string) (map[string]string, bool) {
	m := combinedRE.FindStringSubmatch(line)
	if m == nil {
		return nil, false
	}
	r := map[string]string{"client_ip": m[1], "time": m[3], "status": m[5], "bytes": m[6]}
	if m[2] != "-" {
		r["principal"] = m[2]
	}
	if m[8] != "" {
		r["user_agent"] = m[8]
	}
	requestLine(r, m[4])
	return r, true
}

// parseALB reads an AWS ALB access log entry into canonical fields.
func parseALB(line string) (map[string]string, bool) {
	m := albRE.FindStringSubmatch(line)
	if m == nil {
		return nil, false
	}
	r := map[string]string{"time": m[2], "client_ip": m[3], "status": m[4], "bytes": m[5], "user_agent": m[7]}
	requestLine(r, m[6])
	return r, true
}

// requestLine splits "GET /path?q HTTP/1.1" into method and url, dropping
// the scheme and host an ALB request carries.
func requestLine(r map[string]string, req string) {
	parts := strings.Fields(req)
	if len(parts) >= 2 {
		r["method"] = parts[0]
		r["url"] = schemeHostRE.ReplaceAllString(parts[1], "")
	}
}
