package jurisdiction

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// usStates are the 50 states' postal codes: the shipped table must have
// each of them, DC and the territories.
var usStates = strings.Fields(`AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD
	MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY`)

func TestLoadShippedTable(t *testing.T) {
	rules, err := Load()
	if err != nil {
		t.Fatalf("the shipped rules.csv does not validate:\n%v", err)
	}
	var codes []string
	for _, r := range rules {
		codes = append(codes, r.Code)
		if len(r.Triggers.Combinations) == 0 || len(r.SourceURLs) == 0 || r.Citation == "" || r.AsOf.IsZero() {
			t.Errorf("%s: incomplete row: %+v", r.Code, r)
		}
		for _, n := range r.Notes {
			if strings.HasPrefix(strings.ToLower(n), "unverified") && !strings.HasPrefix(n, unverifiedPrefix) {
				t.Errorf("%s: note %q should start with %q so Unverified finds it", r.Code, n, unverifiedPrefix)
			}
		}
	}
	want := []string{"US-DC", "US-PR", "US-GU", "US-VI", "EU-GDPR"}
	for _, s := range usStates {
		want = append(want, "US-"+s)
	}
	for _, c := range want {
		if !slices.Contains(codes, c) {
			t.Errorf("no row for %s", c)
		}
	}
	if len(rules) != len(want) {
		t.Errorf("%d rows, want %d", len(rules), len(want))
	}
}

func TestLoadFacts(t *testing.T) {
	ca := rule(t, "US-CA")
	if ca.RegulatorThreshold != 501 || ca.DeadlineDays != 30 || ca.Citation != "Cal. Civ. Code § 1798.82" {
		t.Errorf("US-CA = %d residents, %d days, %q", ca.RegulatorThreshold, ca.DeadlineDays, ca.Citation)
	}
	if !ca.RegulatorNoticeRequired(501) || ca.RegulatorNoticeRequired(500) {
		t.Error("California: more than 500 residents means 501 or more")
	}
	if ca.CRANoticeRequired(1_000_000) {
		t.Error("California has no consumer-reporting-agency threshold in the table")
	}
	if !slices.ContainsFunc(ca.Unverified(), func(s string) bool { return strings.HasPrefix(s, "cra_threshold") }) {
		t.Errorf("California's blank CRA cell should be listed as unverified, got %q", ca.Unverified())
	}
	gdpr := rule(t, "EU-GDPR")
	if gdpr.RegulatorThreshold != 1 || gdpr.RegulatorDeadlineDays != 3 || gdpr.DeadlineDays != 0 {
		t.Errorf("EU-GDPR = threshold %d, regulator %d days, people %d days", gdpr.RegulatorThreshold, gdpr.RegulatorDeadlineDays, gdpr.DeadlineDays)
	}
	if len(gdpr.Triggers.Combinations) != len(Elements) {
		t.Errorf("EU-GDPR should list every element on its own, has %d combinations for %d elements", len(gdpr.Triggers.Combinations), len(Elements))
	}
	if tx := rule(t, "US-TX"); tx.CRAThreshold != 10001 || tx.RegulatorThreshold != 250 {
		t.Errorf("US-TX = CRA %d, regulator %d", tx.CRAThreshold, tx.RegulatorThreshold)
	}
	if asOf := rule(t, "US-NY").AsOf; !asOf.Equal(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("US-NY as_of = %v", asOf)
	}
}

const header = "code,name,triggers,regulator,regulator_threshold,regulator_deadline_days,cra_threshold,deadline_days,citation,source_url,as_of,notes\n"

// good is a valid row; the malformed tables below each break one thing.
const good = "US-CA,California,name+ssn,Attorney General,501,,,30,Cal. Civ. Code § 1798.82,https://example.org/ca,2026-11-24,a note\n"

func TestParseRejects(t *testing.T) {
	for _, tc := range []struct {
		name  string
		table string
		kind  error
		msg   string
	}{
		{"empty file", "", ErrColumns, "no header line"},
		{"missing column", strings.Replace(header, ",notes", "", 1) + strings.TrimSuffix(good, ",a note\n") + "\n", ErrColumns, "notes: missing column"},
		{"unknown column", strings.Replace(header, "notes", "comments", 1) + good, ErrColumns, "comments: unknown column"},
		{"column twice", strings.Replace(header, "notes", "code", 1) + good, ErrColumns, "code: column named twice"},
		{"short line", header + "US-CA,California,name+ssn\n", ErrColumns, "3 cells, want 12"},
		{"bad quoting", header + `US-CA,"California,name+ssn` + "\n", ErrColumns, "fix the quoting"},
		{"empty required cell", header + strings.Replace(good, "Cal. Civ. Code § 1798.82", "", 1), ErrRequired, "citation: empty"},
		{"malformed code", header + strings.Replace(good, "US-CA", "California", 1), ErrCode, "not a region and jurisdiction"},
		{"duplicate code", header + good + good, ErrDuplicateCode, "already used on line 2"},
		{"trigger grammar", header + strings.Replace(good, "name+ssn", "name++ssn", 1), ErrTrigger, "empty element"},
		{"unknown element", header + strings.Replace(good, "name+ssn", "name+social", 1), ErrElement, `"social" is not an element`},
		{"suggested element", header + strings.Replace(good, "name+ssn", "name+ssn_number", 1), ErrElement, `did you mean "ssn"`},
		{"number with separator", header + strings.Replace(good, ",501,", ",1;000,", 1), ErrNumber, `"1;000" is not a whole number`},
		{"zero threshold", header + strings.Replace(good, ",501,", ",0,", 1), ErrNumber, `"0" is not a whole number from 1 up`},
		{"negative days", header + strings.Replace(good, ",30,", ",-30,", 1), ErrNumber, `"-30"`},
		{"threshold without regulator", header + strings.Replace(good, "Attorney General", "", 1), ErrRequired, "name the regulator"},
		{"date", header + strings.Replace(good, "2026-11-24", "24/11/2026", 1), ErrDate, "write YYYY-MM-DD"},
		{"url", header + strings.Replace(good, "https://example.org/ca", "example.org/ca", 1), ErrURL, "not an http(s) address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tc.table), "test.csv")
			if !errors.Is(err, tc.kind) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want %v and ErrInvalid", err, tc.kind)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not say %q", err, tc.msg)
			}
		})
	}
}

func TestParseReportsEveryProblemWithLines(t *testing.T) {
	table := header + good +
		strings.Replace(strings.Replace(good, "US-CA", "US-NY", 1), "2026-11-24", "soon", 1) +
		strings.Replace(strings.Replace(good, "US-CA", "US-TX", 1), "name+ssn", "name+pin", 1)
	_, err := Parse(strings.NewReader(table), "case rules")
	var p *Problems
	if !errors.As(err, &p) || len(p.Items) != 2 {
		t.Fatalf("err = %v, want two problems", err)
	}
	for i, want := range []string{"case rules:3 (US-NY): as_of:", "case rules:4 (US-TX): triggers:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("problem %d: %q does not contain %q", i, err, want)
		}
	}
}

func TestParseAcceptsBOMColumnOrderAndExtraElements(t *testing.T) {
	cols := strings.Split(strings.TrimSpace(header), ",")
	slices.Reverse(cols)
	cells := strings.Split(strings.TrimSpace(strings.Replace(good, "name+ssn", "name+pin", 1)), ",")
	slices.Reverse(cells)
	table := "\ufeff" + strings.Join(cols, ",") + "\n" + strings.Join(cells, ",") + "\n"
	rules, err := Parse(strings.NewReader(table), "reversed", "pin")
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 1 || rules[0].Code != "US-CA" || rules[0].Triggers.String() != "name+pin" || rules[0].RegulatorThreshold != 501 {
		t.Errorf("rules = %+v", rules)
	}
}

func TestProblemsFormat(t *testing.T) {
	p := &Problems{Source: "s", Items: []Problem{{Line: 7, Code: "US-CA", Column: "as_of", Kind: ErrDate, Msg: "m"}}}
	if got, want := p.Error(), "s: 1 problem(s):\n  s:7 (US-CA): as_of: m"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// FuzzParse checks that no table, however broken, panics the parser and
// that every failure is reported as ErrInvalid.
func FuzzParse(f *testing.F) {
	f.Add(string(rulesCSV))
	f.Add(header + good)
	f.Add(header + `US-CA,"a""b",name+ssn` + "\n")
	f.Add("\ufeff" + header + "\n\n" + good + "\"")
	f.Fuzz(func(t *testing.T, table string) {
		rules, err := Parse(strings.NewReader(table), "fuzz")
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		for _, r := range rules {
			if !codeRE.MatchString(r.Code) || len(r.Triggers.Combinations) == 0 {
				t.Fatalf("accepted row %+v", r)
			}
		}
	})
}
