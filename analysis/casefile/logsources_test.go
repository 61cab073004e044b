package casefile

import (
	"errors"
	"strings"
	"testing"
)

// logCase is a valid case file whose logs: section the tests replace.
const logCase = `version: 1
customers:
  sources:
    - {path: c.csv, columns: {customer_id: id, account_number: acct}}
logs:
%s
endpoints:
  - {name: acct, path: "/a/{account_number}", exposes: [account_number]}
scope:
  principals: [k]
`

func parseLogs(t *testing.T, logs string) (*Case, error) {
	t.Helper()
	return Parse("dir", FileName, []byte(strings.Replace(logCase, "%s", logs, 1)))
}

// TestLogFormatsValid: the formats with built-in field locations need no
// mapping; the generic ones map theirs; a positional format takes field
// numbers.
func TestLogFormatsValid(t *testing.T) {
	for _, logs := range []string{
		"  - {path: a.log, format: combined}",
		"  - {path: a.log, format: combined, fields: {request_id: 10}}",
		"  - {path: a.log.gz, format: alb}",
		"  - {path: a.jsonl, format: apigw}",
		"  - {path: a.jsonl, format: apigw, fields: {principal: authorizer.principalId, query: queryString}}",
		"  - {path: a.json.gz, format: cloudtrail}",
		"  - {path: a.json.gz, format: cloudtrail, fields: {principal: userIdentity.arn}}",
		"  - {path: a.csv, format: csv, fields: {time: _time, method: m, url: uri, status: s}}",
		"  - {path: a.tsv, fields: {time: _time, method: m, path: p, status: s}}",
		"  - {path: a.parquet, fields: {time: t, method: m, path: p, status: s}}",
		"  - {name: alb, path: a.log, format: alb, identity_from: {source: app}}\n  - {name: app, path: b.jsonl, fields: {time: t, method: m, path: p, status: s, request_id: rid, principal: key}}",
		"  - {name: app, path: b.jsonl, fields: {time: t, method: m, path: p, status: s, request_id: rid, principal: key}}\n  - {name: nginx, path: a.log, format: combined, fields: {request_id: 10}, identity_from: {source: app, on: request_id}}",
	} {
		c, err := parseLogs(t, logs)
		if err != nil {
			t.Errorf("%s:\n%v", logs, err)
			continue
		}
		for _, l := range c.Logs {
			if l.IdentityFrom != nil && (l.IdentityFrom.On != "request_id" || !c.IdentitySource(l.IdentityFrom.Source)) {
				t.Errorf("%s: identity join %+v", logs, l.IdentityFrom)
			}
		}
	}
}

// TestLogFormatMistakes: each message names the key and says what to do.
func TestLogFormatMistakes(t *testing.T) {
	for _, tc := range []struct {
		logs string
		want string
	}{
		{"  - {path: a.log, format: nginx}", `logs[0].format: unknown log format "nginx"`},
		{"  - {path: a.log, format: combined, fields: {path: 5}}", `logs[0].fields.path: the combined format takes path from the request line`},
		{"  - {path: a.log, format: alb, fields: {request_id: trace_id}}", `logs[0].fields.request_id: needs a field number`},
		{"  - {path: a.log, format: alb, fields: {client_ip: 0}}", `needs a field number`},
		{"  - {path: a.csv, format: csv, fields: {time: t, status: s, path: p}}", `logs[0].fields: method is required`},
		{"  - {path: a.jsonl, format: apigw, fields: {path: p, url: u}}", `map exactly one of path`},
		{"  - {path: a.log, format: alb, identity_from: {source: app}}", `logs[0].identity_from.source: no log source named "app"`},
		{"  - {name: alb, path: a.log, format: alb, identity_from: {source: alb}}", `a source cannot take identities from itself`},
		{"  - {name: alb, path: a.log, format: alb, identity_from: {source: web, on: client_ip}}\n  - {name: web, path: b.log, format: combined}",
			`logs[0].identity_from.on: only request_id can join two sources`},
		{"  - {name: alb, path: a.log, format: alb, identity_from: {source: web}}\n  - {name: web, path: b.log, format: combined}",
			`source "web" has no request_id to join on: map its fields.request_id`},
		{"  - {name: web, path: b.log, format: combined, identity_from: {source: alb}}\n  - {name: alb, path: a.log, format: alb}",
			`source "alb" has no principal`},
		{"  - {name: a, path: a.log, format: alb, identity_from: {source: b}}\n  - {name: b, path: b.jsonl, format: apigw, identity_from: {source: c}}\n  - {name: c, path: c.jsonl, format: apigw}",
			`source "b" takes its identities from "c" itself`},
		{"  - {name: a, path: a.log, format: alb, identity_from: {source: b, when: x}}\n  - {name: b, path: b.jsonl, format: apigw}",
			`logs[0].identity_from.when: unknown key`},
	} {
		_, err := parseLogs(t, tc.logs)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\nwant %q in\n%v", tc.logs, tc.want, err)
		}
	}
}
