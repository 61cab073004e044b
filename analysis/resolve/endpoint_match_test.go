package resolve

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/store"
)

// TestMatchEndpoints checks the endpoint rules MatchEndpoints applies with
// each endpoint's pattern bound as a value: the first declared endpoint
// whose method and pattern match wins, "*" matches any method, a request
// matching none (or with no path) has no endpoint, and the identifier comes
// from the winning endpoint's capture group or query parameter.
func TestMatchEndpoints(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, "", store.Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Script(ctx, "analyze_tables.sql", nil, nil); err != nil {
		t.Fatal(err)
	}
	for _, e := range [][]any{
		{1, "exact", "GET", `^/a/([^/]+)$`, nil, "account_number", "account_number", "", true},
		{2, "any method", "*", `^/a/([^/]+)/?$`, nil, "account_number", "account_number", "", false},
		{3, "lines", "GET", `^/lines$`, "msisdn", "phone", "phone", "1", false},
	} {
		if err := db.Exec(ctx, "INSERT INTO endpoints VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", e...); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Exec(ctx, `CREATE TABLE reqs AS SELECT * FROM (VALUES
		(1, 'GET', '/a/007', NULL, 200, 10),
		(2, 'POST', '/a/007', NULL, 200, 10),
		(3, 'GET', '/a/007/', NULL, 404, 10),
		(4, 'GET', '/lines', 'x=1&msisdn=%2B1%20555%20123%204567', 200, 10),
		(5, 'GET', '/other', NULL, 200, 10),
		(6, 'GET', NULL, NULL, 200, 10)) t(event_id, method, path, query, status, bytes)`); err != nil {
		t.Fatal(err)
	}
	if err := MatchEndpoints(ctx, db, "reqs", "out", casefile.Success{Status: []int{200, 299}, MinBytes: 1}); err != nil {
		t.Fatal(err)
	}
	got := dump(t, db, "SELECT event_id, endpoint, identifier_raw, identifier, successful FROM out ORDER BY event_id")
	want := "event_id\tendpoint\tidentifier_raw\tidentifier\tsuccessful\n" +
		"1\texact\t007\t7\ttrue\n" +
		"2\tany method\t007\t007\ttrue\n" +
		"3\tany method\t007\t007\tfalse\n" +
		"4\tlines\t%2B1%20555%20123%204567\t+15551234567\ttrue\n" +
		"5\tNULL\tNULL\tNULL\ttrue\n" +
		"6\tNULL\tNULL\tNULL\ttrue\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
