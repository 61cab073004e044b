package check

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/store"
	"github.com/breachscope/breachscope/analysis/synth"
)

// synthCase writes a synthetic case and returns its directory and answer.
func synthCase(t *testing.T) (string, *synth.Summary) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "case")
	sum, err := synth.Generate(context.Background(), dir, synth.Options{Seed: 5, Customers: 500})
	if err != nil {
		t.Fatal(err)
	}
	return dir, sum
}

func run(t *testing.T, dir string, opts Options) *Report {
	t.Helper()
	c, err := casefile.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	opts.Store = store.Options{TempDir: filepath.Join(t.TempDir(), "spill")}
	r, err := Run(context.Background(), c, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func find(r *Report, area, name string) *Item {
	for i := range r.Items {
		if r.Items[i].Area == area && r.Items[i].Name == name {
			return &r.Items[i]
		}
	}
	return nil
}

// TestCleanCase checks a synthetic case whose logs are small enough to be
// sampled whole: every check passes, and the sampled in-scope outcome is
// the known answer itself.
func TestCleanCase(t *testing.T) {
	dir, want := synthCase(t)
	r := run(t, dir, Options{})
	if r.Failures != 0 || r.Warnings != 0 {
		t.Fatalf("failures %d, warnings %d: %+v", r.Failures, r.Warnings, r.Items)
	}
	if r.SampledLines != int64(want.LogLines) || r.SampledRequests != int64(want.AcceptedRequests) {
		t.Errorf("sampled %d lines, %d requests; the case has %d and %d", r.SampledLines, r.SampledRequests, want.LogLines, want.AcceptedRequests)
	}
	in := find(r, "scope", "in scope")
	wantText := []string{
		strings.Join([]string{itoa(want.InScope), "of", itoa(want.AcceptedRequests), "sampled requests:"}, " "),
		itoa(want.Matched) + " matched", itoa(want.Unmatched) + " unmatched", itoa(want.NoEndpoint) + " to no endpoint",
	}
	for _, w := range wantText {
		if in == nil || !strings.Contains(in.Detail, w) {
			t.Errorf("in-scope check lacks %q: %+v", w, in)
		}
	}
	if it := find(r, "identifiers", "account-lookup"); it == nil || !strings.Contains(it.Detail, "account_number: ") || it.Status != OK {
		t.Errorf("account lookups should match customers: %+v", it)
	}
	// Sizes are in binary units, labelled as such (KiB, not KB).
	c, err := casefile.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range c.Customers.Sources {
		st, err := os.Stat(c.Resolve(src.Path))
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("1 file(s), %.1f KiB, readable", float64(st.Size())/1024)
		if it := find(r, "customers", src.Name); it == nil || it.Detail != want {
			t.Errorf("customers source %s: %+v, want detail %q", src.Name, it, want)
		}
	}
	// Items come grouped: inputs, then endpoints, then scope.
	last := -1
	for _, it := range r.Items {
		if areaOrder[it.Area] < last {
			t.Errorf("%s reported after a later area", it.Area)
		}
		last = areaOrder[it.Area]
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestProblems breaks a valid case in the ways analysts do and checks that
// each is found, with a message that says what to do.
func TestProblems(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, new string
		status   Status
		area     string
		want     string
	}{
		{"log glob matches nothing", "path: logs/api-*.jsonl*", "path: logs/api-*.json", Fail, "logs",
			`path "logs/api-*.json" matches no file`},
		{"log glob matches only the case's own files", "path: logs/api-*.jsonl*", "path: \"*.yaml\"", Fail, "logs",
			`path "*.yaml" matches no file`},
		{"customer file renamed", "path: customers.csv", "path: customer.csv", Fail, "customers", "matches no file"},
		{"mapped column missing", "        email: email", "        email: e_mail", Fail, "customers",
			`no column "e_mail" (for email); its columns are: cust_id, first_name`},
		{"time key wrong", "      time: ts", "      time: timestamp", Fail, "logs", "0 parsed (0.0%)"},
		{"client ip key wrong", "      client_ip: client.ip", "      client_ip: client_ip", Warn, "logs",
			"mapped but empty in every sampled request: client_ip (client_ip)"},
		{"endpoint template wrong", "path: /api/v1/accounts/{account_number}", "path: /api/v2/accounts/{account_number}", Warn, "endpoint",
			"no sampled request matches GET /api/v2/accounts/{account_number}"},
		{"wrong identifier kind", "    query_param: msisdn\n    identifier: phone", "    query_param: msisdn\n    identifier: email", Fail, "identifiers",
			"email: 0 of"},
		{"indicator seen nowhere", "ips: [203.0.113.0/24]", "ips: [203.0.113.0/24, 192.0.2.250]", Warn, "scope", "matches none of the"},
		{"window before the logs", "    start: 2022-11-25T00:00:00Z\n    end: 2023-01-06T00:00:00Z", "    start: 2021-11-25T00:00:00Z\n    end: 2022-01-06T00:00:00Z",
			Warn, "scope", "holds none of the"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, _ := synthCase(t)
			path := filepath.Join(dir, casefile.FileName)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), tc.old) {
				t.Fatalf("case file lacks %q", tc.old)
			}
			if err := os.WriteFile(path, []byte(strings.Replace(string(b), tc.old, tc.new, 1)), 0o600); err != nil {
				t.Fatal(err)
			}
			r := run(t, dir, Options{})
			for _, it := range r.Items {
				if it.Area == tc.area && it.Status == tc.status && strings.Contains(it.Detail, tc.want) {
					return
				}
			}
			t.Errorf("no %s %s item with %q in:\n%s", tc.status, tc.area, tc.want, dump(r))
		})
	}
}

// TestSampleIsSpread samples fewer lines than the logs hold: the sample
// parses, and reaches past the start of every file.
func TestSampleIsSpread(t *testing.T) {
	dir, want := synthCase(t)
	r := run(t, dir, Options{SampleLines: 200, SampleFiles: 2})
	if r.Failures != 0 || r.SampledLines == 0 || r.SampledLines >= int64(want.LogLines) {
		t.Errorf("sampled %d of %d lines: %s", r.SampledLines, want.LogLines, dump(r))
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".check-") || e.Name() == ".tmp" {
			t.Errorf("check left %s behind", e.Name())
		}
	}
}

func dump(r *Report) string {
	var b strings.Builder
	for _, it := range r.Items {
		b.WriteString(string(it.Status) + " " + it.Area + " " + it.Name + ": " + it.Detail + "\n")
	}
	return b.String()
}
