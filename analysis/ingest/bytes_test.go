package ingest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/breachscope/breachscope/analysis/store"
)

// sampleFormat writes valid units of one log format around a user agent
// the test chooses, so that a Latin-1 byte or a megabyte can be put inside
// an otherwise good unit.
type sampleFormat struct {
	logs   string // the case file's logs: entry, %s is the file name
	header string // first line of every file (csv, tsv)
	unit   func(n int, ua string) string
	// records: units are CloudTrail records inside {"Records": [...]}
	records bool
}

var sampleFormats = map[string]sampleFormat{
	"jsonl": {logs: "{path: %s, format: jsonl, fields: {time: ts, method: m, path: p, status: s, user_agent: ua}}",
		unit: func(n int, ua string) string {
			return fmt.Sprintf(`{"ts":"2022-11-25T03:14:%02dZ","m":"GET","p":"/a/%d","s":200,"ua":"%s"}`, n, n, ua)
		}},
	"csv": {logs: "{path: %s, format: csv, fields: {time: ts, method: m, path: p, status: s, user_agent: ua}}",
		header: "ts,m,p,s,ua",
		unit: func(n int, ua string) string {
			return fmt.Sprintf(`2022-11-25T03:14:%02dZ,GET,/a/%d,200,"%s"`, n, n, ua)
		}},
	"tsv": {logs: "{path: %s, format: tsv, fields: {time: ts, method: m, path: p, status: s, user_agent: ua}}",
		header: "ts\tm\tp\ts\tua",
		unit: func(n int, ua string) string {
			return fmt.Sprintf("2022-11-25T03:14:%02dZ\tGET\t/a/%d\t200\t%s", n, n, ua)
		}},
	"combined": {logs: "{path: %s, format: combined}",
		unit: func(n int, ua string) string {
			return fmt.Sprintf(`203.0.113.1 - - [25/Nov/2022:03:14:%02d +0000] "GET /a/%d HTTP/1.1" 200 1 "-" "%s"`, n, n, ua)
		}},
	"alb": {logs: "{path: %s, format: alb}",
		unit: func(n int, ua string) string {
			return fmt.Sprintf(`https 2022-11-25T03:14:%02d.000000Z app/x/1 203.0.113.1:1 - 0 0 0 200 200 1 1 "GET https://h:443/a/%d HTTP/1.1" "%s"`, n, n, ua)
		}},
	"apigw": {logs: "{path: %s, format: apigw}",
		unit: func(n int, ua string) string {
			return fmt.Sprintf(`{"requestId":"r%d","requestTime":"25/Nov/2022:03:14:%02d +0000","httpMethod":"GET","path":"/a/%d","status":"200","responseLength":"1","userAgent":"%s"}`, n, n, n, ua)
		}},
	"cloudtrail": {logs: "{path: %s, format: cloudtrail}", records: true,
		unit: func(n int, ua string) string {
			return fmt.Sprintf(`{"eventTime":"2022-11-25T03:14:%02dZ","eventSource":"s3.amazonaws.com","eventName":"GetObject","requestParameters":{"key":"a/%d"},"userAgent":"%s"}`, n, n, ua)
		}},
}

// file renders units as a file of the format with the given line end.
func (f sampleFormat) file(units []string, eol string) []byte {
	var b bytes.Buffer
	if f.records {
		b.WriteString(`{"Records":[` + eol + strings.Join(units, ","+eol) + eol + "]}" + eol)
		return b.Bytes()
	}
	if f.header != "" {
		b.WriteString(f.header + eol)
	}
	for _, u := range units {
		b.WriteString(u + eol)
	}
	return b.Bytes()
}

// ingestOne ingests one log file of a format and returns its input and the
// reasons of its quarantined units.
func ingestOne(t *testing.T, format, name string, content []byte) (Input, string) {
	t.Helper()
	res, db, err := ingestFile(t, format, name, content)
	if err != nil {
		t.Fatal(err)
	}
	in := res.Inputs[len(res.Inputs)-1]
	if in.Read != in.Accepted+in.Rejected {
		t.Errorf("%s: read %d (+ header %d) != accepted %d + rejected %d", name, in.Read, in.Header, in.Accepted, in.Rejected)
	}
	return in, dump(t, db, "SELECT line, reason FROM rejects ORDER BY line")
}

// ingestFile ingests a case of one log file of a format.
func ingestFile(t *testing.T, format, name string, content []byte) (*Result, *store.DB, error) {
	t.Helper()
	dir := writeCase(t, map[string]string{
		"case.yaml": fmt.Sprintf(`version: 1
customers:
  sources:
    - {path: c.csv, columns: {customer_id: id, account_number: acct}}
logs:
  - `+sampleFormats[format].logs+`
endpoints:
  - {name: acct, path: "/a/{account_number}", exposes: [account_number]}
scope:
  principals: [k]
`, name),
		"c.csv": "id,acct\n1,2\n",
	})
	if err := os.WriteFile(filepath.Join(dir, name), content, 0o600); err != nil {
		t.Fatal(err)
	}
	c, db := openCase(t, dir)
	res, err := Run(context.Background(), db, c)
	return res, db, err
}

// TestAwkwardBytes feeds every line-based format the damage real log
// files carry: an empty file, a byte order mark, CRLF line ends, a Latin-1
// byte, a line over 1 MiB and a truncated gzip stream. Each file must
// account for every unit, keep the good ones and quarantine the bad one
// with its reason.
func TestAwkwardBytes(t *testing.T) {
	for format, f := range sampleFormats {
		good := func(k int) []string {
			var us []string
			for n := 1; n <= k; n++ {
				us = append(us, f.unit(n, "agent"))
			}
			return us
		}
		header := int64(0)
		if f.header != "" {
			header = 1
		}
		t.Run(format, func(t *testing.T) {
			t.Run("empty file", func(t *testing.T) {
				in, _ := ingestOne(t, format, "empty.log", nil)
				if in.Read != 0 || in.Header != 0 || in.Accepted != 0 {
					t.Errorf("empty file: %+v", in)
				}
			})
			t.Run("byte order mark and CRLF", func(t *testing.T) {
				in, _ := ingestOne(t, format, "bom.log", append([]byte("\xef\xbb\xbf"), f.file(good(3), "\r\n")...))
				if in.Accepted != 3 || in.Rejected != 0 || in.Header != header {
					t.Errorf("BOM/CRLF: %+v", in)
				}
			})
			t.Run("Latin-1 byte", func(t *testing.T) {
				units := good(3)
				units[1] = f.unit(2, "caf\xe9")
				in, rej := ingestOne(t, format, "latin1.log", f.file(units, "\n"))
				if in.Accepted != 2 || in.Rejected != 1 || !strings.Contains(rej, "invalid UTF-8") {
					t.Errorf("Latin-1: %+v\n%s", in, rej)
				}
			})
			t.Run("unit over 1 MiB", func(t *testing.T) {
				units := good(3)
				units[1] = f.unit(2, strings.Repeat("x", MaxLineBytes+10))
				in, rej := ingestOne(t, format, "long.log", f.file(units, "\n"))
				if in.Accepted != 2 || in.Rejected != 1 || !strings.Contains(rej, fmt.Sprintf("longer than %d bytes", MaxLineBytes)) {
					t.Errorf("over-long: %+v\n%s", in, rej)
				}
			})
			t.Run("truncated gzip", func(t *testing.T) {
				full := gz(t, string(f.file(good(400), "\n")))
				in, _ := ingestOne(t, format, "cut.log.gz", full[:len(full)*2/3])
				if in.Warning == "" || in.Accepted == 0 || in.Accepted >= 400 {
					t.Errorf("truncated gzip: %+v", in)
				}
			})
		})
	}
}
