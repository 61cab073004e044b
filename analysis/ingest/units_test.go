package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/breachscope/breachscope/analysis/store"
)

// unitCase is a log file built line by line, with what ingest must make of
// every physical line: accepted (with the request id the line carries) or
// quarantined with a reason, each at its byte offset.
type unitCase struct {
	content []byte
	want    []string // "line@offset id" or "line@offset !reason", in line order
}

// randomLogFile writes n physical lines of every kind the reader must
// number exactly: good lines, blank and whitespace-only ones, invalid
// UTF-8, lines over 1 MiB, lines that are no JSON; LF or CRLF ends, a UTF-8
// byte order mark, and a last line with or without its newline.
func randomLogFile(r *rand.Rand, n int) unitCase {
	var c unitCase
	var b bytes.Buffer
	if r.IntN(2) == 0 {
		b.WriteString("\xef\xbb\xbf")
	}
	for k := 1; k <= n; k++ {
		offset := b.Len()
		if k == 1 && offset == 3 {
			offset = 0 // the byte order mark is part of line 1
		}
		id := fmt.Sprintf("r-%d", k)
		text, want := "", ""
		switch p := r.IntN(100); {
		case p < 70:
			text = fmt.Sprintf(`{"ts":"2022-11-25T03:%02d:%02dZ","m":"GET","p":"/a/%d","s":200,"id":"%s"}`, k/60%60, k%60, k, id)
			want = id
		case p < 75:
			want = "!empty line"
		case p < 80:
			text, want = " \t ", "!empty line"
		case p < 85:
			text, want = `{"ts":"2022-11-25T03:00:00Z","m":"GET","p":"/caf`+"\xe9"+`","s":200}`, "!invalid UTF-8"
		case p < 90:
			text, want = `{"ts":"2022-11-25T03:00:00Z","m":"GET",`, "!invalid JSON"
		case p < 93:
			text, want = `{"ts":"2022-11-25T03:00:00Z","m":"GET","p":"/a\r/b","s":200,"id":"`+id+`"}`, id // a CR inside a line is text
		case p < 94:
			text, want = `{"p":"`+strings.Repeat("x", MaxLineBytes)+`"}`, fmt.Sprintf("!line longer than %d bytes", MaxLineBytes)
		default:
			text, want = `{"ts":"1900-01-01T00:00:00Z","m":"GET","p":"/a","s":200}`, "!implausible time (before 1990 or after 2099)"
		}
		b.WriteString(text)
		if k < n || r.IntN(2) == 0 {
			if r.IntN(2) == 0 {
				b.WriteString("\r\n")
			} else {
				b.WriteString("\n")
			}
		} else if want == "!empty line" && text == "" {
			// A last line that is empty and unterminated does not exist.
			b.WriteString("\n")
		}
		c.want = append(c.want, fmt.Sprintf("%d@%d %s", k, offset, want))
	}
	c.content = b.Bytes()
	return c
}

// ingestUnits ingests the files of one jsonl source (name -> content) and
// returns every line's outcome per file, in the shape of unitCase.want.
func ingestUnits(t *testing.T, files map[string][]byte) (map[string][]string, []Input) {
	t.Helper()
	dir := writeCase(t, map[string]string{"c.csv": "id,acct\n1,2\n", "case.yaml": `version: 1
customers:
  sources:
    - {path: c.csv, columns: {customer_id: id, account_number: acct}}
logs:
  - {path: "logs/*", format: jsonl, fields: {time: ts, method: m, path: p, status: s, request_id: id}}
endpoints:
  - {name: acct, path: "/a/{account_number}", exposes: [account_number]}
scope:
  principals: [k]
`})
	for name, content := range files {
		writeFileAt(t, filepath.Join(dir, "logs", name), string(content))
	}
	c, db := openCase(t, dir)
	res, err := Run(context.Background(), db, c)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	rows, err := db.Query(context.Background(), `
		SELECT i.path, a.line, a.byte_offset, a.request_id FROM access a JOIN inputs i USING (input_id)
		UNION ALL
		SELECT i.path, r.line, r.byte_offset, '!' || r.reason FROM rejects r JOIN inputs i USING (input_id) WHERE i.kind = 'logs'
		ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var path, what string
		var line, offset int64
		if err := rows.Scan(&path, &line, &offset, &what); err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(path, "logs/")
		got[name] = append(got[name], fmt.Sprintf("%d@%d %s", line, offset, what))
	}
	return got, res.Inputs
}

// TestUnitsExact checks, on random files, that every physical line ends up
// accepted or quarantined exactly once, under its true line number and
// byte offset, whatever mix of line ends, blank lines, byte order marks,
// invalid UTF-8 and over-long lines the file holds, plain or gzip, and
// across many files of one source read together.
func TestUnitsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	files := map[string][]byte{}
	want := map[string][]string{}
	for f := range 12 {
		n := 1 + r.IntN(400)
		if f == 0 {
			n = 5000 // more lines than one hand-over to DuckDB holds
		}
		c := randomLogFile(r, n)
		name := fmt.Sprintf("f%02d.jsonl", f)
		if f%3 == 1 {
			name += ".gz"
			c.content = gz(t, string(c.content))
		}
		files[name], want[name] = c.content, c.want
	}
	files["good.jsonl"] = []byte(`{"ts":"2022-11-25T03:00:00Z","m":"GET","p":"/a","s":200,"id":"only"}` + "\n")
	want["good.jsonl"] = []string{"1@0 only"}
	files["empty.jsonl"] = nil
	got, inputs := ingestUnits(t, files)
	for name := range files {
		if diff := cmp.Diff(want[name], got[name]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	for _, in := range inputs {
		if in.Kind != "logs" {
			continue
		}
		name := strings.TrimPrefix(in.Path, "logs/")
		if in.Read != int64(len(want[name])) || in.Read != in.Accepted+in.Rejected {
			t.Errorf("%s: read %d, accepted %d, rejected %d; %d lines", name, in.Read, in.Accepted, in.Rejected, len(want[name]))
		}
	}
}

// TestUnitsHashWhileReading checks that the hash and size a log input
// carries are those of the file as stored (compressed when gzip), though
// the reader hashes the file while it reads it, and that a damaged gzip
// file is hashed to its last byte.
func TestUnitsHashWhileReading(t *testing.T) {
	full := gz(t, strings.Repeat(`{"ts":"2022-11-25T03:00:00Z","m":"GET","p":"/a","s":200}`+"\n", 3000))
	files := map[string][]byte{
		"plain.jsonl":   []byte(`{"ts":"2022-11-25T03:00:00Z","m":"GET","p":"/a","s":200}` + "\n"),
		"zipped.jsonl":  full,
		"cut.jsonl.gz":  full[:len(full)/2],
		"trail.jsonl":   append(append([]byte{}, full...), "garbage after the stream"...),
		"empty.jsonl":   nil,
		"utf16.jsonl":   []byte(utf16LE(goodLine + "\n")),
		"noline.jsonl":  []byte("x"),
		"newline.jsonl": []byte("\n"),
	}
	dir := t.TempDir()
	for name, content := range files {
		writeFileAt(t, filepath.Join(dir, name), string(content))
	}
	for name := range files {
		path := filepath.Join(dir, name)
		st, err := readLines(path, func(line) error { return nil })
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		size, sum, err := HashFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Size != size || st.SHA256 != sum {
			t.Errorf("%s: read as %d bytes %s; the file has %d bytes %s", name, st.Size, st.SHA256, size, sum)
		}
	}
}

// TestUnitsFileChanged: a file that differs between the two readings of
// one ingest (the quarantining pass reads it again) stops the ingest.
func TestUnitsFileChanged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "l.jsonl")
	writeFileAt(t, path, goodLine+"\n")
	db, err := store.Open(context.Background(), "", store.Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	in := &Input{ID: 1, Path: "l.jsonl", Size: 1, SHA256: "0000"} // as if read before, with other content
	err = withUnits(context.Background(), db, readLines, []unitFile{{in: in, path: path}}, func(token int64) error {
		return db.Exec(context.Background(), "SELECT count(*) FROM bs_log_units(?)", token)
	})
	if !errors.Is(err, errFileChanged) || !strings.Contains(err.Error(), "l.jsonl") {
		t.Errorf("got %v", err)
	}
}

// TestUnitsCancel: a cancelled context stops the reader and the statement.
func TestUnitsCancel(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "l.jsonl")
	writeFileAt(t, path, strings.Repeat(goodLine+"\n", 50000))
	db, err := store.Open(context.Background(), "", store.Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = withUnits(ctx, db, readLines, []unitFile{{in: &Input{ID: 1, Path: "l.jsonl"}, path: path}}, func(token int64) error {
		return db.Exec(ctx, "SELECT count(*) FROM bs_log_units(?)", token)
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v", err)
	}
}

// TestUTF16 checks that a log file written in UTF-16 (with its byte order
// mark, either byte order) is quarantined line by line, or as one unit for
// CloudTrail, with a reason and a warning that say so.
func TestUTF16(t *testing.T) {
	be := func(s string) string {
		le := []byte(utf16LE(s))
		for k := 0; k+1 < len(le); k += 2 {
			le[k], le[k+1] = le[k+1], le[k]
		}
		return string(le)
	}
	for _, format := range []string{"jsonl", "combined", "alb", "apigw", "cloudtrail"} {
		f := sampleFormats[format]
		for order, enc := range map[string]func(string) string{"LE": utf16LE, "BE": be} {
			t.Run(format+"/"+order, func(t *testing.T) {
				in, rej := ingestOne(t, format, "u16.log", []byte(enc(string(f.file([]string{f.unit(1, "a"), f.unit(2, "b")}, "\n")))))
				if in.Accepted != 0 || in.Rejected == 0 || !strings.Contains(in.Warning, "UTF-16") || !strings.Contains(rej, utf16Reason) {
					t.Errorf("%+v\n%s", in, rej)
				}
			})
		}
	}
	t.Run("csv header", func(t *testing.T) {
		_, _, err := ingestFile(t, "csv", "u16.log", []byte(utf16LE("ts,m,p,s,ua\n")))
		if !errors.Is(err, ErrMissingColumn) || !strings.Contains(err.Error(), "UTF-16") {
			t.Errorf("got %v", err)
		}
	})
}

// TestLogValues pins how a time, status, size, method and path is judged:
// accepted as what value, or quarantined with which reason.
func TestLogValues(t *testing.T) {
	for _, tc := range []struct {
		ts, m, p, s, b string
		want           string
	}{
		{`"2022-11-25T03:14:15Z"`, `"GET"`, `"/a"`, `200`, `10`, "2022-11-25 03:14:15 GET /a 200 10"},
		{`"2022-11-25T03:14:15.123456z"`, `"get"`, `"/a"`, `"200"`, `"10"`, "2022-11-25 03:14:15.123456 GET /a 200 10"},
		{`"2022-11-25 03:14:15+14:00"`, `"GET"`, `"/a"`, `200`, `10`, "2022-11-24 13:14:15 GET /a 200 10"},
		{`"2022-11-25T03:14:15-12:00"`, `"GET"`, `"/a"`, `200`, `10`, "2022-11-25 15:14:15 GET /a 200 10"},
		{`"25/Nov/2022:03:14:15 -0800"`, `"GET"`, `"/a"`, `200`, `"-"`, "2022-11-25 11:14:15 GET /a 200 0"},
		{`"25/Nov/2022:03:14:15.5 +0130"`, `"GET"`, `"/a"`, `200`, `10`, "2022-11-25 01:44:15.5 GET /a 200 10"},
		{`1669346055`, `"GET"`, `"/a"`, `200.0`, `10.00`, "2022-11-25 03:14:15 GET /a 200 10"},
		{`1669346055123`, `"GET"`, `"/a"`, `" 200 "`, `10`, "2022-11-25 03:14:15.123 GET /a 200 10"},
		{`"2022-11-25T03:14:15"`, `"GET"`, `"/a"`, `200`, `10`, "2022-11-25 03:14:15 GET /a 200 10"},
		{`"1989-12-31T23:59:59Z"`, `"GET"`, `"/a"`, `200`, `10`, "implausible time (before 1990 or after 2099)"},
		{`"1990-01-01T00:00:00Z"`, `"GET"`, `"/a"`, `200`, `10`, "1990-01-01 00:00:00 GET /a 200 10"},
		{`"2099-12-31T23:59:59Z"`, `"GET"`, `"/a"`, `200`, `10`, "2099-12-31 23:59:59 GET /a 200 10"},
		{`"2100-01-01T00:00:00Z"`, `"GET"`, `"/a"`, `200`, `10`, "implausible time (before 1990 or after 2099)"},
		{`0`, `"GET"`, `"/a"`, `200`, `10`, "implausible time (before 1990 or after 2099)"},
		{`-1`, `"GET"`, `"/a"`, `200`, `10`, "implausible time (before 1990 or after 2099)"},
		{`"0001-01-01T00:00:00Z"`, `"GET"`, `"/a"`, `200`, `10`, "implausible time (before 1990 or after 2099)"},
		{`"2022-11-25T03:14:15+14:30"`, `"GET"`, `"/a"`, `200`, `10`, "invalid UTC offset"},
		{`"2022-11-25T03:14:15-1500"`, `"GET"`, `"/a"`, `200`, `10`, "invalid UTC offset"},
		{`"2022-11-25T03:14:15+01:60"`, `"GET"`, `"/a"`, `200`, `10`, "invalid UTC offset"},
		{`"25/Nov/2022:03:14:15 +2500"`, `"GET"`, `"/a"`, `200`, `10`, "invalid UTC offset"},
		{`"2022-11-25T03:14:15Z"`, `"GET"`, `"/a"`, `200.5`, `10`, "fractional status"},
		{`"2022-11-25T03:14:15Z"`, `"GET"`, `"/a"`, `"200.5"`, `10`, "fractional status"},
		{`"2022-11-25T03:14:15Z"`, `"GET"`, `"/a"`, `"2e2"`, `10`, "invalid status"},
		// A JSON number is its value: 2e2 is 200.
		{`"2022-11-25T03:14:15Z"`, `"GET"`, `"/a"`, `2e2`, `1e3`, "2022-11-25 03:14:15 GET /a 200 1000"},
		{`"2022-11-25T03:14:15Z"`, `"GET"`, `"/a"`, `"0xC8"`, `10`, "invalid status"},
		{`"2022-11-25T03:14:15Z"`, `"GET"`, `"/a"`, `200`, `1.5`, "fractional response bytes"},
		{`"2022-11-25T03:14:15Z"`, `"GET"`, `"/a"`, `200`, `"0x10"`, "invalid response bytes"},
		{`"2022-11-25T03:14:15Z"`, `"GET"`, `"/a"`, `200`, `"1_000"`, "invalid response bytes"},
		{`"2022-11-25T03:14:15Z"`, `"GET"`, `"/a"`, `200`, `"1e3"`, "invalid response bytes"},
		{`"2022-11-25T03:14:15Z"`, `"GET"`, `"/a"`, `200`, `1e30`, "invalid response bytes"},
		{`"2022-11-25T03:14:15Z"`, `"GET"`, `"/a"`, `200`, `-1`, "negative response bytes"},
		{`"2022-11-25T03:14:15Z"`, `["GET"]`, `"/a"`, `200`, `10`, "method is not a JSON string"},
		{`"2022-11-25T03:14:15Z"`, `true`, `"/a"`, `200`, `10`, "method is not a JSON string"},
		{`"2022-11-25T03:14:15Z"`, `"GET"`, `123`, `200`, `10`, "path is not a JSON string"},
		{`"2022-11-25T03:14:15Z"`, `"GET"`, `{"x":1}`, `200`, `10`, "path is not a JSON string"},
		{`"2022-11-25T03:14:15Z"`, `"GET"`, `false`, `200`, `10`, "path is not a JSON string"},
		// Strings that look like other JSON values are strings.
		{`"2022-11-25T03:14:15Z"`, `"GET"`, `"123"`, `200`, `10`, "2022-11-25 03:14:15 GET 123 200 10"},
		{`"2022-11-25T03:14:15Z"`, `"GET"`, `"[1]"`, `200`, `10`, "2022-11-25 03:14:15 GET [1] 200 10"},
		{`"2022-11-25T03:14:15Z"`, `"trace"`, `"{x}"`, `200`, `10`, "2022-11-25 03:14:15 TRACE {x} 200 10"},
	} {
		name := strings.Join([]string{tc.ts, tc.m, tc.p, tc.s, tc.b}, " ")
		t.Run(name, func(t *testing.T) {
			line := fmt.Sprintf(`{"ts":%s,"m":%s,"p":%s,"s":%s,"b":%s}`, tc.ts, tc.m, tc.p, tc.s, tc.b)
			dir := writeCase(t, map[string]string{"c.csv": goodCustomers, "l.jsonl": line + "\n",
				"case.yaml": fmt.Sprintf(badCase, "c.csv", "acct", "l.jsonl")})
			c, db := openCase(t, dir)
			if _, err := Run(context.Background(), db, c); err != nil {
				t.Fatal(err)
			}
			got := strings.TrimSpace(strings.TrimPrefix(dump(t, db,
				`SELECT CAST(ts AS VARCHAR) || ' ' || method || ' ' || path || ' ' || status || ' ' || coalesce(bytes, -99) AS x FROM access
				 UNION ALL SELECT reason FROM rejects`), "x\n"))
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestRejectsPass: a source whose files are partly clean runs the
// quarantining pass over the files with rejects only, and every file's
// accounting holds.
func TestRejectsPass(t *testing.T) {
	files := map[string][]byte{}
	for k := range 30 {
		var b strings.Builder
		for n := range 50 {
			if k%7 == 3 && n%10 == 4 {
				b.WriteString("not json\n")
				continue
			}
			fmt.Fprintf(&b, `{"ts":"2022-11-25T03:00:%02dZ","m":"GET","p":"/a","s":200,"id":"%d-%d"}`+"\n", n, k, n)
		}
		files[fmt.Sprintf("a%02d.jsonl", k)] = []byte(b.String())
	}
	got, inputs := ingestUnits(t, files)
	var rejected []string
	for _, in := range inputs {
		if in.Kind == "logs" && in.Rejected > 0 {
			rejected = append(rejected, fmt.Sprintf("%s:%d", in.Path, in.Rejected))
		}
		if in.Read != in.Accepted+in.Rejected {
			t.Errorf("%s: read %d, accepted %d, rejected %d", in.Path, in.Read, in.Accepted, in.Rejected)
		}
	}
	sort.Strings(rejected)
	if want := []string{"logs/a03.jsonl:5", "logs/a10.jsonl:5", "logs/a17.jsonl:5", "logs/a24.jsonl:5"}; !cmp.Equal(want, rejected) {
		t.Errorf("rejected: %v", rejected)
	}
	if g := got["a10.jsonl"][4]; g != "5@"+fmt.Sprint(4*len(`{"ts":"2022-11-25T03:00:00Z","m":"GET","p":"/a","s":200,"id":"10-0"}`+"\n"))+" !invalid JSON" {
		t.Errorf("a10.jsonl line 5: %s", g)
	}
}
