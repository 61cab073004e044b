package scaffold

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/store"
	"github.com/breachscope/breachscope/analysis/synth"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

func openDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), "", store.Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func write(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestTokens(t *testing.T) {
	for in, want := range map[string]string{
		"CustomerNumber":   "customer number",
		"client.ip":        "client ip",
		"@timestamp":       "timestamp",
		"body_bytes_sent":  "body bytes sent",
		"APIKey":           "api key",
		"address_line1":    "address line1",
		"DOB":              "dob",
		"e-mail":           "e mail",
		"requestTimeEpoch": "request time epoch",
	} {
		if got := strings.Join(tokens(in), " "); got != want {
			t.Errorf("tokens(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCustomerColumnGuesses(t *testing.T) {
	emails := []string{"a@example.com", "B.C@example.org"}
	phones := []string{"(980) 555-0151", "+1 545 555 0117"}
	dates := []string{"1989-04-04", "2000-05-10"}
	ids := []string{"9", "10"}
	for _, tc := range []struct {
		name    string
		columns []string
		values  [][]string
		want    map[string]string
		extra   []string
	}{
		{"spelled differently", []string{"CustomerNumber", "GivenName", "Surname", "PostCode", "MobileNo", "BirthDate", "AcctNo", "PlanName"}, nil,
			map[string]string{"customer_id": "CustomerNumber", "first_name": "GivenName", "last_name": "Surname", "postal_code": "PostCode",
				"phone": "MobileNo", "date_of_birth": "BirthDate", "account_number": "AcctNo"}, []string{"plan"}},
		{"dob and zip", []string{"id", "DOB", "zip", "msisdn", "full name"}, nil,
			map[string]string{"customer_id": "id", "date_of_birth": "DOB", "postal_code": "zip", "phone": "msisdn", "full_name": "full name"}, nil},
		{"birth_date and postcode", []string{"cust_id", "birth_date", "home_postcode", "primary_email"}, nil,
			map[string]string{"customer_id": "cust_id", "date_of_birth": "birth_date", "postal_code": "home_postcode", "email": "primary_email"}, nil},
		{"values only", []string{"c1", "c2", "c3", "c4"}, [][]string{ids, emails, phones, dates},
			map[string]string{"customer_id": "c1", "email": "c2", "phone": "c3", "date_of_birth": "c4"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb := &table{Columns: tc.columns, Values: tc.values}
			if tb.Values == nil {
				tb.Values = make([][]string, len(tc.columns))
			}
			got, rest := mapCustomerColumns(tb)
			flat := map[string]string{}
			for f, g := range got {
				flat[f] = g.Value
			}
			if diff := cmp.Diff(tc.want, flat); diff != "" {
				t.Errorf("mapping (-want +got):\n%s", diff)
			}
			var extra []string
			for _, r := range rest {
				extra = append(extra, elementName(r))
			}
			if diff := cmp.Diff(tc.extra, extra); diff != "" {
				t.Errorf("extra elements (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLogFieldGuesses(t *testing.T) {
	for _, tc := range []struct {
		name string
		recs []map[string]string
		want map[string]string
	}{
		{"api gateway keys", []map[string]string{{
			"requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", "ip": "203.0.113.9", "requestTime": "09/Apr/2015:12:34:56 +0000",
			"httpMethod": "GET", "path": "/prod/accounts/0012", "status": "200", "responseLength": "742", "identity.apiKey": "k1",
		}}, map[string]string{"request_id": "requestId", "client_ip": "ip", "time": "requestTime", "method": "httpMethod",
			"path": "path", "status": "status", "bytes": "responseLength", "principal": "identity.apiKey"}},
		{"nested gateway plugin", []map[string]string{{
			"@timestamp": "2023-01-01T10:00:00.123Z", "consumer.id": "partner-7", "client.ip": "198.51.100.4",
			"request.method": "get", "request.uri": "/v1/lines?msisdn=%2B15755550199", "response.status": "200", "response.size": "120",
			"request.headers.user-agent": "curl/8.0",
		}}, map[string]string{"time": "@timestamp", "principal": "consumer.id", "client_ip": "client.ip", "method": "request.method",
			"url": "request.uri", "status": "response.status", "bytes": "response.size", "user_agent": "request.headers.user-agent"}},
		{"cloudtrail-like names", []map[string]string{{
			"eventTime": "2023-01-01T10:00:00Z", "sourceIPAddress": "192.0.2.1", "userIdentity.principalId": "AIDA123",
			"requestMethod": "POST", "uri": "/x/y", "statusCode": "403",
		}}, map[string]string{"time": "eventTime", "client_ip": "sourceIPAddress", "principal": "userIdentity.principalId",
			"method": "requestMethod", "url": "uri", "status": "statusCode"}},
		{"a status that is not one", []map[string]string{{"ts": "1672567200", "verb": "GET", "path": "/a", "status": "ok"}},
			map[string]string{"time": "ts", "method": "verb", "path": "path"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mapLogFields((&logFile{Records: tc.recs}).keys(), tc.recs)
			flat := map[string]string{}
			for f, g := range got {
				flat[f] = g.Value
			}
			if diff := cmp.Diff(tc.want, flat); diff != "" {
				t.Errorf("mapping (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTemplates(t *testing.T) {
	reqs := []request{
		{Method: "GET", Path: "/api/v1/accounts/0001000194", Status: 200, Bytes: 700, HasBytes: true},
		{Method: "GET", Path: "/api/v1/accounts/999853", Status: 200, Bytes: 700, HasBytes: true},
		{Method: "GET", Path: "/api/v1/accounts/999853/usage", Status: 404, Bytes: 50, HasBytes: true},
		{Method: "GET", Path: "/users/jane.doe%40example.com/profile", Status: 200},
		{Method: "GET", Path: "/users/bob%40example.org/profile", Status: 200},
		{Method: "GET", Path: "/sessions/5f0c3a9e-2b1d-4c55-9a0e-8f2f1c0b7d11", Status: 200},
		{Method: "GET", Path: "/blobs/deadbeefcafe1234", Status: 200},
		{Method: "GET", Path: "/lines", Query: "msisdn=%2B15755550199&fmt=json", Status: 200, Bytes: 10, HasBytes: true},
		{Method: "GET", Path: "/lines", Query: "msisdn=575.555.0101&fmt=json", Status: 200, Bytes: 0, HasBytes: true},
		{Method: "POST", Path: "/api/v1/login", Status: 401},
		{Method: "GET", Path: "/orgs/C0000001/members/42", Status: 200},
	}
	var got []string
	for _, tm := range templates(reqs) {
		s := tm.String()
		if p := tm.idParam(); p != nil && tm.Holes == 0 {
			s += " ?" + p.Name
		}
		got = append(got, s+" "+tm.name())
	}
	want := []string{
		"GET /api/v1/accounts/{number} get-accounts",
		"GET /lines ?msisdn get-lines",
		"GET /users/{email}/profile get-users-profile",
		"GET /api/v1/accounts/{number}/usage get-accounts-usage",
		"GET /blobs/{hex} get-blobs",
		"GET /orgs/{id}/members/{id} get-orgs-members",
		"GET /sessions/{uuid} get-sessions",
		"POST /api/v1/login post-login",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("templates (-want +got):\n%s", diff)
	}
}

func TestGlobFor(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"api-2022-11.jsonl", "api-2022-12.jsonl.gz", "api-2023-01.jsonl", "other.txt", "b1.csv", "b2.csv", "b10.csv"} {
		write(t, filepath.Join(dir, n), "x\n")
	}
	abs := func(names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, filepath.Join(dir, n))
		}
		return out
	}
	for _, tc := range []struct {
		files []string
		want  string
	}{
		{abs("api-2022-11.jsonl", "api-2022-12.jsonl.gz", "api-2023-01.jsonl"), "api-202*.jsonl*"},
		{abs("b1.csv", "b10.csv", "b2.csv"), "b*.csv"},
		{abs("b1.csv", "b2.csv"), ""}, // b*.csv would take b10.csv too
		{abs("other.txt"), "other.txt"},
	} {
		if got := globFor(tc.files); got != tc.want {
			t.Errorf("globFor(%v) = %q, want %q", tc.files, got, tc.want)
		}
	}
}

func TestExpandTeaches(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{filepath.Join(dir, "*.csv")}, "matches no file"},
		{[]string{filepath.Join(dir, "missing.csv")}, "no such file"},
		{[]string{dir}, "the directory holds no file"},
	} {
		_, err := expand("customers", tc.args)
		if !errors.Is(err, ErrNoInput) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "--customers") {
			t.Errorf("expand(%v): %v, want %q", tc.args, err, tc.want)
		}
	}
}

// TestInitRefusesExisting keeps an analyst's edits from being overwritten.
func TestInitRefusesExisting(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, casefile.FileName), "version: 1\n")
	_, err := Init(context.Background(), dir, Options{Customers: []string{"x"}, Logs: []string{"y"}})
	if !errors.Is(err, ErrCaseExists) || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("got %v", err)
	}
}

// renamedSynth writes a synthetic case's inputs inside caseDir/inputs under
// other names, as another company would deliver them, and returns the
// generated case file (the answer) and the inputs.
func renamedSynth(t *testing.T, caseDir string) (truth *casefile.Case, customers, logs []string) {
	t.Helper()
	src := filepath.Join(t.TempDir(), "synth")
	if _, err := synth.Generate(context.Background(), src, synth.Options{Seed: 3, Customers: 300}); err != nil {
		t.Fatal(err)
	}
	truth, err := casefile.Load(src)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(src, "customers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	header, rest, _ := strings.Cut(string(b), "\n")
	r := strings.NewReplacer("cust_id", "CUSTOMER_NO", "first_name", "FNAME", "last_name", "LNAME", "street", "ADDR1",
		"unit", "ADDR2", "zip", "ZIPCODE", "email", "EMAIL_ADDRESS", "phone", "CELL", "dob", "DOB", "account_no", "BAN", "plan", "RATE_PLAN")
	customers = []string{write(t, filepath.Join(caseDir, "inputs", "crm.csv"), r.Replace(header)+"\n"+rest)}
	ls, _ := filepath.Glob(filepath.Join(src, "logs", "*"))
	for _, l := range ls {
		data, err := os.ReadFile(l)
		if err != nil {
			t.Fatal(err)
		}
		logs = append(logs, write(t, filepath.Join(caseDir, "inputs", "edge", strings.TrimPrefix(filepath.Base(l), "api-")), string(data)))
	}
	return truth, customers, logs
}

// TestSynthProposal proposes a case file for renamed synthetic inputs and
// compares it with a golden file; the validator's problems with it are all
// on marked lines, and answering only those lines makes it valid.
func TestSynthProposal(t *testing.T) {
	caseDir := filepath.Join(t.TempDir(), "case")
	truth, customers, logs := renamedSynth(t, caseDir)
	p, err := Propose(context.Background(), openDB(t), caseDir, Options{Customers: customers, Logs: logs})
	if err != nil {
		t.Fatal(err)
	}
	text := string(Render(p))
	golden(t, "synth-case.yaml", text)

	_, err = casefile.Parse(caseDir, casefile.FileName, []byte(text))
	var probs *casefile.Problems
	if !errors.As(err, &probs) {
		t.Fatalf("the unedited file should need edits, got %v", err)
	}
	lines := strings.Split(text, "\n")
	for _, it := range probs.Items {
		if it.Line < 1 || !marked(lines[it.Line-1]) {
			t.Errorf("problem on an unmarked line %d: %s: %s", it.Line, it.Key, it.Msg)
		}
	}
	for i, l := range lines {
		switch {
		case strings.Contains(l, "# RATE_PLAN:"):
			lines[i] = "        rate_plan: RATE_PLAN"
		case strings.Contains(l, "exposes: []"):
			lines[i] = "    exposes: [name, phone]"
		case strings.Contains(l, "ips: []"):
			lines[i] = "  ips: [" + truth.Scope.IPs[0] + "]"
		}
	}
	if _, err := casefile.Parse(caseDir, casefile.FileName, []byte(strings.Join(lines, "\n"))); err != nil {
		t.Errorf("answering the marked lines should make the file valid: %v", err)
	}
}

func marked(line string) bool {
	return strings.Contains(line, MarkGuess) || strings.Contains(line, MarkTODO)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", name, diff)
	}
}

// TestInitCleansUp leaves no empty case directory behind a failed init.
func TestInitCleansUp(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new-case")
	_, err := Init(context.Background(), dir, Options{Customers: []string{filepath.Join(t.TempDir(), "*.csv")}, Logs: []string{"x"}})
	if !errors.Is(err, ErrNoInput) {
		t.Fatalf("got %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("init left %s behind: %v", dir, err)
	}
}

func TestInitWrites(t *testing.T) {
	caseDir := filepath.Join(t.TempDir(), "new-case")
	_, customers, logs := renamedSynth(t, filepath.Join(t.TempDir(), "inputs"))
	if _, err := Init(context.Background(), caseDir, Options{Customers: customers, Logs: logs}); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(caseDir, casefile.FileName))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("case.yaml: %v %v", st, err)
	}
	if _, err := os.Stat(filepath.Join(caseDir, ".tmp")); !os.IsNotExist(err) {
		t.Errorf("spill directory left behind: %v", err)
	}
}
