package cli

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/breachscope/breachscope/analysis/report"
)

// Column names, values and case-file strings built to break SQL that is
// assembled from them: quotes of both kinds, semicolons, comments, DuckDB
// parameter syntax and whole statements.
var (
	injIDCol    = `id"; DROP TABLE customers;--`
	injNameCol  = `na"me; DROP TABLE customers;--`
	injAddrCol  = `addr'ess`
	injEmailCol = `e-mail /* x */`
	injAcctCol  = `Select`
	injPlanCol  = `plan$usd --`
)

const injectionCase = `version: 1
name: 'Robert''); DROP TABLE meta;--'
customers:
  sources:
    - name: 'cust''; DROP TABLE inputs;--'
      path: customers.csv
      format: csv
      columns:
        customer_id: 'id"; DROP TABLE customers;--'
        full_name: 'na"me; DROP TABLE customers;--'
        address_line1: 'addr''ess'
        email: 'e-mail /* x */'
        account_number: 'Select'
      extra:
        plan: 'plan$usd --'
logs:
  - name: api
    path: logs.jsonl
    format: jsonl
    fields:
      time: 't''ime; --'
      principal: 'k"ey'
      method: m
      path: p
      query: q
      status: s
      bytes: b
endpoints:
  - name: 'lookup''); DROP TABLE access;--'
    method: GET
    path: /acct/{account_number}
    identifier: account_number
    exposes: [name, address, plan]
  - name: 'by "email"; --'
    method: GET
    path: /find
    query_param: 'e''m;--'
    identifier: email
    exposes: [email]
scope:
  principals: ['key''; DROP TABLE access;--', 'k"2', '$1']
  success: {status: [200, 299], min_bytes: 1}
notice:
  labels: {address: 'address''); DROP TABLE x;--', plan: 'plan "gold"; --'}
`

// TestSQLInjection runs a case whose column names, values and case-file
// strings are SQL fragments: the run must be exact, with every value
// carried through verbatim, and no table dropped.
func TestSQLInjection(t *testing.T) {
	dir := t.TempDir()
	customers := [][]string{
		{injIDCol, injNameCol, injAddrCol, injEmailCol, injAcctCol, injPlanCol},
		{"1", `Robert'); DROP TABLE customers;--`, `1 Main St; DELETE FROM access`, "bob@example.com", "1001", `gold'; --`},
		{"2", `Alice "Al" O'Hara`, `$1 --`, "alice@example.com", "1002", `x`},
		{"3", `Mallory /*`, `*/ ; SELECT 1;`, "mal@example.com", "1003", `DROP TABLE meta`},
		{"4", `Eve`, `"; SELECT 1;`, "eve@example.com", "1004", "plain"},
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.WriteAll(customers); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "customers.csv"), b.String())
	line := func(principal, path, query string, status int) string {
		return fmt.Sprintf(`{"t'ime; --":"2023-01-02T03:04:05Z","k\"ey":%q,"m":"GET","p":%q,"q":%q,"s":%d,"b":100}`+"\n", principal, path, query, status)
	}
	writeFile(t, filepath.Join(dir, "logs.jsonl"),
		line(`key'; DROP TABLE access;--`, "/acct/1001", "", 200)+
			line(`k"2`, "/find", `e'm;--=alice%40example.com`, 200)+
			line(`$1`, "/acct/1003", "", 200)+
			line(`someone else`, "/acct/1004", "", 200)+
			line(`key'; DROP TABLE access;--`, `/acct/1002'; DROP TABLE customers;--`, "", 200))
	writeFile(t, filepath.Join(dir, "case.yaml"), injectionCase)

	mustRun(t, "run", "--quiet", "--run-id", "inj", dir)
	run := filepath.Join(dir, "runs", "inj")
	mustRun(t, "verify", "--quiet", run)

	m := readManifest(t, run)
	c := m.Counts
	if c.LogLines != 5 || c.Requests != 5 || c.InScope != 4 || c.Matched != 3 || c.Unmatched != 1 || c.ExposedCustomers != 3 {
		t.Errorf("counts: %+v", c)
	}
	if m.Inputs[0].Accepted != 4 {
		t.Errorf("customers accepted: %d, want 4", m.Inputs[0].Accepted)
	}
	got := queryRows(t, fmt.Sprintf(`SELECT customer_id, array_to_string(elements, '|') FROM read_parquet('%s') ORDER BY customer_id`,
		filepath.Join(run, report.ExposedParquet)))
	want := [][]string{{"1", "name|address|plan"}, {"2", "email"}, {"3", "name|address|plan"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("exposed customers (-want +got):\n%s", diff)
	}

	// Every notification file: names and the phrase built from hostile
	// labels must come through verbatim.
	files, _ := filepath.Glob(filepath.Join(run, "notify", "*.csv"))
	var text strings.Builder
	for _, f := range files {
		text.Write(mustRead(t, f))
	}
	for _, cust := range customers[1:4] {
		if !strings.Contains(text.String(), csvField(cust[1])) {
			t.Errorf("name %q not carried verbatim into the notification files", cust[1])
		}
	}
	if phrase := `your name, address'); DROP TABLE x;-- and plan "gold"; --`; !strings.Contains(text.String(), csvField(phrase)) {
		t.Errorf("the phrase from hostile labels %q is not in the notification files", phrase)
	}
	if _, err := os.Stat(filepath.Join(run, report.WorkbookXLSX)); err != nil {
		t.Error(err)
	}
}

// csvField is s as encoding/csv writes it in a record.
func csvField(s string) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{s})
	w.Flush()
	return strings.TrimSuffix(b.String(), "\n")
}
