package ingest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// joinFiles are an nginx log with a request id appended (field 10) but no
// caller identity, and the application's log of the same requests with the
// API key. Request b has two principals in the app log (a conflict); c is
// not in the app log; d already names a user in nginx.
var joinFiles = map[string]string{
	"c.csv": "id,acct\n1,2\n",
	"nginx.log": `203.0.113.7 - - [25/Nov/2022:03:14:15 +0000] "GET /a/1 HTTP/1.1" 200 5 "-" "ua" req-a
203.0.113.7 - - [25/Nov/2022:03:14:16 +0000] "GET /a/2 HTTP/1.1" 200 5 "-" "ua" req-b
203.0.113.7 - - [25/Nov/2022:03:14:17 +0000] "GET /a/3 HTTP/1.1" 200 5 "-" "ua" req-c
203.0.113.7 - basic-user [25/Nov/2022:03:14:18 +0000] "GET /a/4 HTTP/1.1" 200 5 "-" "ua" req-d
`,
	"app.jsonl": `{"t":"2022-11-25T03:14:15Z","rid":"req-a","key":"key-partner-7731","m":"GET","p":"/a/1","s":200}
{"t":"2022-11-25T03:14:16Z","rid":"req-b","key":"key-1","m":"GET","p":"/a/2","s":200}
{"t":"2022-11-25T03:14:16Z","rid":"req-b","key":"key-2","m":"GET","p":"/a/2","s":200}
{"t":"2022-11-25T03:14:18Z","rid":"req-d","key":"key-3","m":"GET","p":"/a/4","s":200}
not json
`,
}

const joinNginx = "  - {name: nginx, path: nginx.log, format: combined, fields: {request_id: 10}, identity_from: {source: app, on: request_id}}\n"
const joinApp = "  - {name: app, path: app.jsonl, fields: {time: t, request_id: rid, principal: key, method: m, path: p, status: s}}\n"

// TestIdentityJoin fills the principal of nginx requests from the app log,
// whichever of the two the case file lists first: the app log's rows are
// identities, not requests, and each file still accounts for every line.
func TestIdentityJoin(t *testing.T) {
	var results []string
	for _, logs := range []string{joinNginx + joinApp, joinApp + joinNginx} {
		files := map[string]string{"case.yaml": fmt.Sprintf(`version: 1
customers:
  sources:
    - {path: c.csv, columns: {customer_id: id, account_number: acct}}
logs:
%sendpoints:
  - {name: acct, path: "/a/{account_number}", exposes: [account_number]}
scope:
  principals: [key-partner-7731]
`, logs)}
		for k, v := range joinFiles {
			files[k] = v
		}
		c, db := openCase(t, writeCase(t, files))
		res, err := Run(context.Background(), db, c)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]Input{}
		for _, in := range res.Inputs {
			kinds[in.Path] = in
			if in.Read != in.Accepted+in.Rejected {
				t.Errorf("%s: read %d != accepted %d + rejected %d", in.Path, in.Read, in.Accepted, in.Rejected)
			}
		}
		if app := kinds["app.jsonl"]; app.Kind != "identity" || app.Accepted != 4 || app.Rejected != 1 {
			t.Errorf("app log: %+v", app)
		}
		nginx := kinds["nginx.log"]
		if nginx.Kind != "logs" || nginx.Accepted != 4 || !strings.Contains(nginx.Warning, `1 request(s) whose request id has more than one principal in source "app"`) {
			t.Errorf("nginx log: %+v", nginx)
		}
		if res.Requests != 4 {
			t.Errorf("requests %d: identity rows must not count as requests", res.Requests)
		}
		results = append(results, dump(t, db, `SELECT a.request_id, a.principal, i.request_id AS from_identity, i.line AS identity_line
			FROM access a LEFT JOIN identities i ON i.event_id = a.identity_event_id ORDER BY a.line`))
	}
	want := `request_id	principal	from_identity	identity_line
req-a	key-partner-7731	req-a	1
req-b	NULL	NULL	NULL
req-c	NULL	NULL	NULL
req-d	basic-user	NULL	NULL
`
	for _, got := range results {
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("joined access rows (-want +got):\n%s", diff)
		}
	}
}
