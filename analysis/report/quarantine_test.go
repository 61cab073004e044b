package report_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/breachscope/breachscope/analysis"
	"github.com/breachscope/breachscope/analysis/report"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// badLines is a log file of the demo case's source holding one line of
// every kind ingest quarantines, between good ones; secret marks text that
// must never reach the quarantine file.
const secret = "QUARANTINE-CONTENT-MUST-NOT-LEAK"

func badLines() string {
	good := func(n int) string {
		return fmt.Sprintf(`{"ts":"2022-12-01T00:00:%02dZ","request_id":"q-%d","client":{"ip":"198.51.100.7"},"api_key":"key-q","method":"GET","path":"/api/v1/health","query":"","status":200,"bytes":10,"user_agent":"%s"}`, n, n, secret)
	}
	with := func(n int, from, to string) string { return strings.Replace(good(n), from, to, 1) }
	return strings.Join([]string{
		good(1),
		`{"ts":"2022-12-01T00:00:02Z","method":"GET", "` + secret, // invalid JSON
		"",    // empty line
		"   ", // whitespace only
		with(5, "198.51.100.7", "198.51.100.\xe9"), // invalid UTF-8
		`["` + secret + `"]`,                       // not an object
		with(7, `"ts":"2022-12-01T00:00:07Z"`, `"ts":"yesterday"`),
		with(8, `"ts":"2022-12-01T00:00:08Z"`, `"ts":"9999-12-31T23:59:59Z"`),
		with(9, `"ts":"2022-12-01T00:00:09Z"`, `"ts":"2022-12-01T00:00:09+25:00"`),
		with(10, `"status":200`, `"status":200.5`),
		with(11, `"bytes":10`, `"bytes":1.5`),
		with(12, `"method":"GET"`, `"method":["GET"]`),
		with(13, `"path":"/api/v1/health"`, `"path":123`),
		with(14, `"status":200`, `"status":"OK"`),
		with(15, `,"method":"GET"`, ``),
		`{"p":"` + strings.Repeat("x", 1<<20) + `"}`, // over-long
		good(17),
	}, "\r\n") + "\r\n"
}

// TestQuarantineFile runs the demo case with a log file of bad lines (and
// a gzip file cut short) added, and checks the run's quarantine file: its
// rows are the rejected counts of the reconciliation, the manifest lists
// it like every output, it holds no rejected content, and it equals
// testdata/rejected_lines.golden.csv (-update rewrites it).
func TestQuarantineFile(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "case")
	copyDir(t, filepath.Join("..", "..", "samples", "demo-case"), dir)
	write(t, filepath.Join(dir, "logs", "api-2022-12-bad.jsonl"), []byte(badLines()))
	var cut bytes.Buffer
	zw := gzip.NewWriter(&cut)
	for n := range 300 {
		fmt.Fprintf(zw, `{"ts":"2022-12-02T00:%02d:%02dZ","method":"GET","path":"/api/v1/health","status":200,"user_agent":"%s"}`+"\n", n/60, n%60, secret)
	}
	zw.Close()
	write(t, filepath.Join(dir, "logs", "api-2022-12-cut.jsonl.gz"), cut.Bytes()[:cut.Len()*2/3])

	clock := func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	s, err := analysis.Open(ctx, dir, analysis.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Ingest(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := s.Report(ctx, analysis.ReportOptions{RunID: "quarantine"})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(res.Dir, report.QuarantineCSV)
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(got, []byte(secret)) || bytes.Contains(got, []byte("xxxx")) {
		t.Error("the quarantine file holds rejected content")
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("quarantine file mode: %v %v", st.Mode(), err)
	}
	records, err := csv.NewReader(bytes.NewReader(got)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows := int64(len(records) - 1)

	// Every per-file check's rejected term, summed, is the file's rows; so
	// are the log and customer rejected counts.
	var rejected int64
	for _, c := range res.Manifest.Reconciliation {
		if !strings.HasPrefix(c.Name, "input ") {
			continue
		}
		for _, term := range c.Right {
			if term.Label == "rejected" {
				rejected += term.Value
			}
		}
	}
	counts := res.Manifest.Counts
	if rows != rejected || rows != counts.LogLinesRejected+counts.CustomerRecordsRejected || rows < 17 {
		t.Errorf("quarantine file has %d rows; reconciliation: %d rejected in the inputs, %d log lines and %d customer records",
			rows, rejected, counts.LogLinesRejected, counts.CustomerRecordsRejected)
	}
	sum := sha256.Sum256(got)
	var listed bool
	for _, o := range res.Manifest.Outputs {
		if o.Path == report.QuarantineCSV {
			listed = true
			if o.Rows != rows || o.Size != int64(len(got)) || o.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("manifest lists %+v; the file has %d rows, %d bytes", o, rows, len(got))
			}
		}
	}
	if !listed {
		t.Errorf("manifest does not list %s", report.QuarantineCSV)
	}

	golden := filepath.Join("testdata", "rejected_lines.golden.csv")
	if *update {
		write(t, golden, got)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("quarantine file differs from %s (-want +got):\n%s", golden, diff)
	}
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		write(t, filepath.Join(to, rel), b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
