package casefile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sample is the committed demo case's case file: every mistake below is an
// edit of a real, valid file.
func sample(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "samples", "demo-case", FileName))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSampleIsValid(t *testing.T) {
	c, err := Parse("dir", FileName, []byte(sample(t)))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(c.Endpoints); got != 2 {
		t.Fatalf("endpoints: %d", got)
	}
	if c.Endpoints[0].Regex != `^/api/v1/accounts/([^/]+)/?$` {
		t.Errorf("regex %q", c.Endpoints[0].Regex)
	}
	if c.Scope.Match != "any" || c.Notice.CSV.Delimiter != "," || c.Logs[0].Timezone != "UTC" {
		t.Errorf("defaults not applied: %+v", c.Scope)
	}
	id, _ := c.IdentifierKind("account_number")
	if id.LeadingZeros != "ignore" || id.Normalize != "account_number" {
		t.Errorf("identifier settings: %+v", id)
	}
	if got := c.Elements()[len(c.Elements())-1].Name; got != "plan" {
		t.Errorf("extra element missing, last is %q", got)
	}
}

// TestMistakes covers the errors analysts are most likely to make; each
// message must name the line and key and say what to do.
func TestMistakes(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, new string
		want     []string
	}{
		{"typo in a field name", "        email: email", "        emial: email",
			[]string{`:21: customers.sources[0].columns.emial: unknown customer field (did you mean "email"?)`}},
		{"typo in a top-level key", "endpoints:", "endpoint:",
			[]string{`endpoint: unknown key (did you mean "endpoints"?)`}},
		{"unknown identifier kind", "    identifier: phone", "    identifier: msisdn",
			[]string{`endpoints[1].identifier: unknown identifier kind "msisdn"`}},
		{"unknown element", "exposes: [name, phone]", "exposes: [name, phone_number]",
			[]string{`endpoints[1].exposes[1]: unknown element "phone_number" (did you mean "phone"?)`}},
		{"bad CIDR", "ips: [203.0.113.0/24]", "ips: [203.0.113.0/33]",
			[]string{`scope.ips[0]: "203.0.113.0/33" is not an IP address or CIDR`}},
		{"window reversed", "    start: 2022-11-25T00:00:00Z", "    start: 2023-11-25T00:00:00Z",
			[]string{`scope.window: start must be before end`}},
		{"bad time", "    end: 2023-01-06T00:00:00Z", "    end: 06/01/2023",
			[]string{`scope.window.end: "06/01/2023" is not a time`}},
		{"no indicators", "  ips: [203.0.113.0/24]\n  principals: [key-partner-7731]\n", "",
			[]string{`scope: no indicators`}},
		{"no customer id", "        customer_id: cust_id\n", "",
			[]string{`customer_id is required`}},
		{"unknown format", "    format: jsonl", "    format: json-lines",
			[]string{`logs[0].format: unknown log format "json-lines"`}},
		{"missing time field", "      time: ts\n", "",
			[]string{`logs[0].fields: time is required`}},
		{"both path and url", "      path: path\n", "      path: path\n      url: url\n",
			[]string{`map exactly one of path`}},
		{"no identifier location", "    query_param: msisdn\n", "",
			[]string{`endpoints[1]: say where the identifier is`}},
		{"two placeholders", "/api/v1/accounts/{account_number}", "/api/v1/{region}/accounts/{account_number}",
			[]string{`at most one {placeholder}`}},
		{"bad regex", "  principals: [key-partner-7731]", "  principals: [key-partner-7731]\n  user_agents: ['python(']",
			[]string{`scope.user_agents[0]: not a valid regular expression`}},
		{"bad status range", "    status: [200, 299]", "    status: [299, 200]",
			[]string{`scope.success.status: a range [low, high]`}},
		{"wrong version", "version: 1", "version: 2",
			[]string{`version: must be 1`}},
		{"unknown timezone", "    format: jsonl", "    format: jsonl\n    timezone: Mars/Olympus",
			[]string{`logs[0].timezone: unknown time zone "Mars/Olympus"`}},
		{"identifier field not mapped", "        phone: phone\n", "",
			[]string{`endpoints[1].identifier: identifier "phone" is matched against customer field "phone", which no customer source maps`}},
		{"list where a value belongs", "    method: GET\n    path: /api/v1/lines", "    method: [GET]\n    path: /api/v1/lines",
			[]string{`endpoints[1].method: expected a single value`}},
		{"bad leading_zeros", "    leading_zeros: ignore", "    leading_zeros: drop",
			[]string{`identifiers.account_number.leading_zeros: significant`}},
		{"not YAML", "version: 1", "version: [1",
			[]string{`not valid YAML`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := sample(t)
			if !strings.Contains(src, tc.old) {
				t.Fatalf("sample does not contain %q", tc.old)
			}
			_, err := Parse("dir", FileName, []byte(strings.Replace(src, tc.old, tc.new, 1)))
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error is not ErrInvalid: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestAllProblemsReportedAtOnce(t *testing.T) {
	src := strings.Replace(sample(t), "        email: email", "        emial: email", 1)
	src = strings.Replace(src, "exposes: [name, phone]", "exposes: [name, fone]", 1)
	_, err := Parse("dir", FileName, []byte(src))
	var p *Problems
	if !errors.As(err, &p) {
		t.Fatalf("want *Problems, got %v", err)
	}
	if len(p.Items) != 2 || p.Items[0].Line != 21 || p.Items[1].Line != 56 {
		t.Errorf("problems: %v", p.Items)
	}
}

func TestLoadMissingCaseFile(t *testing.T) {
	_, err := Load(t.TempDir())
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "is it a case directory") && !strings.Contains(err.Error(), "a case directory") {
		t.Fatalf("got %v", err)
	}
}

func TestEndpointRegex(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"/a/{id}", `^/a/([^/]+)/?$`},
		{"/a/{id}/b/", `^/a/([^/]+)/b/?$`},
		{"/v1.0/x", `^/v1\.0/x/?$`},
	} {
		e := Endpoint{Path: tc.path, QueryParam: ""}
		if !strings.Contains(tc.path, "{") {
			e.QueryParam = "q"
		}
		v := &validator{c: &Case{}, lines: map[string]int{}, probs: &Problems{}}
		v.endpointRegex("e", &e)
		if e.Regex != tc.want {
			t.Errorf("%s: got %s want %s", tc.path, e.Regex, tc.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("version: 1\n"))
	f.Add([]byte("customers: {sources: [{path: x, columns: {customer_id: id}}]}"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		// Any input gives a case or an ErrInvalid, never a panic or another error.
		if _, err := Parse("dir", FileName, raw); err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("unexpected error type: %v", err)
		}
	})
}
