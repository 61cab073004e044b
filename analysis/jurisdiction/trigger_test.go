package jurisdiction

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// rule returns the shipped rule with code, failing the test if absent.
func rule(t *testing.T, code string) Rule {
	t.Helper()
	rules, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(rules, func(r Rule) bool { return r.Code == code })
	if i < 0 {
		t.Fatalf("no rule %s in the shipped table", code)
	}
	return rules[i]
}

func set(elements ...string) map[string]bool {
	m := map[string]bool{}
	for _, e := range elements {
		m[e] = true
	}
	return m
}

func TestTriggered(t *testing.T) {
	for _, tc := range []struct {
		name    string
		code    string
		exposed map[string]bool
		want    []string
	}{
		{"name and SSN trigger in California", "US-CA", set("name", "ssn"), []string{"name+ssn"}},
		{"SSN without name does not trigger in California", "US-CA", set("ssn", "email"), nil},
		{"account number without its code does not trigger in California", "US-CA", set("name", "account_number"), nil},
		{"account number with its code triggers in California", "US-CA", set("name", "account_number", "access_code"), []string{"name+account_number+access_code"}},
		{"login credentials trigger without name in California", "US-CA", set("email", "password"), []string{"email+password"}},
		{"login credentials need the name in Alabama", "US-AL", set("email", "password"), nil},
		{"account number alone triggers in Massachusetts", "US-MA", set("name", "account_number"), []string{"name+account_number"}},
		{"account number and code trigger without name in Colorado", "US-CO", set("account_number", "access_code"), []string{"account_number+access_code"}},
		{"SSN alone triggers in Indiana", "US-IN", set("ssn"), []string{"ssn"}},
		{"date of birth triggers in North Dakota", "US-ND", set("name", "date_of_birth"), []string{"name+date_of_birth"}},
		{"date of birth does not trigger in California", "US-CA", set("name", "date_of_birth", "address"), nil},
		{"phone number is an identifier in DC", "US-DC", set("phone", "ssn"), []string{"phone+ssn"}},
		{"several combinations are all reported in rule order", "US-WA", set("name", "ssn", "date_of_birth", "email", "password"),
			[]string{"name+ssn", "name+date_of_birth", "email+password"}},
		{"a false entry counts as not exposed", "US-CA", map[string]bool{"name": true, "ssn": false}, nil},
		{"any personal data is a GDPR breach", "EU-GDPR", set("email"), []string{"email"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, which := rule(t, tc.code).Triggered(tc.exposed)
			if got != (len(tc.want) > 0) || !slices.Equal(which, tc.want) {
				t.Errorf("Triggered = %v %q, want %q", got, which, tc.want)
			}
		})
	}
}

// The built-in contact elements alone never require notice in a US
// jurisdiction: name, address, email, phone and account number are what
// every customer record holds, and no statute counts them without a
// sensitive element. Date of birth is left out because North Dakota and
// Washington count it.
func TestContactDetailsTriggerNowhereInUS(t *testing.T) {
	rules, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if !strings.HasPrefix(r.Code, "US-") {
			continue
		}
		if got, which := r.Triggered(set("name", "phone")); got {
			t.Errorf("%s: name+phone triggered %q", r.Code, which)
		}
		if got, which := r.Triggered(set("name", "address", "email", "phone")); got {
			t.Errorf("%s: name, address, email and phone triggered %q", r.Code, which)
		}
	}
}

func TestParseTrigger(t *testing.T) {
	got, err := ParseTrigger("  name + ssn|name+drivers_license | username+password ")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"name", "ssn"}, {"name", "drivers_license"}, {"username", "password"}}
	if !slices.EqualFunc(got.Combinations, want, slices.Equal) {
		t.Errorf("Combinations = %q, want %q", got.Combinations, want)
	}
	if s := got.String(); s != "name+ssn | name+drivers_license | username+password" {
		t.Errorf("String() = %q", s)
	}
	for _, bad := range []string{
		"", "  ", "name+ssn |", "| name", "name++ssn", "name+", "+ssn", "Name+ssn",
		"name+ssn+name", "name+ssn | ssn+name", "name ssn", "9lives", "name+e-mail",
		strings.Repeat("a", 64),
	} {
		if _, err := ParseTrigger(bad); !errors.Is(err, ErrTrigger) {
			t.Errorf("ParseTrigger(%q) = %v, want ErrTrigger", bad, err)
		}
	}
}

// FuzzParseTrigger checks that the parser never panics, that whatever it
// accepts round-trips through String, and that it accepts only well-formed
// element names.
func FuzzParseTrigger(f *testing.F) {
	rules, err := Load()
	if err != nil {
		f.Fatal(err)
	}
	for _, r := range rules {
		f.Add(r.Triggers.String())
	}
	for _, s := range []string{"", "|", "+", "a+b|b+a", "a | b ", "a\t+\tb", "a+a", "é+ssn", "a|a", "a+b|c+d+e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tr, err := ParseTrigger(s)
		if err != nil {
			if !errors.Is(err, ErrTrigger) {
				t.Fatalf("ParseTrigger(%q) error %v does not wrap ErrTrigger", s, err)
			}
			return
		}
		if len(tr.Combinations) == 0 {
			t.Fatalf("ParseTrigger(%q) accepted no combinations", s)
		}
		for _, c := range tr.Combinations {
			if len(c) == 0 {
				t.Fatalf("ParseTrigger(%q) accepted an empty combination", s)
			}
			for _, el := range c {
				if !elementRE.MatchString(el) {
					t.Fatalf("ParseTrigger(%q) accepted element %q", s, el)
				}
			}
		}
		again, err := ParseTrigger(tr.String())
		if err != nil {
			t.Fatalf("String() of ParseTrigger(%q) = %q does not parse: %v", s, tr.String(), err)
		}
		if !slices.EqualFunc(again.Combinations, tr.Combinations, slices.Equal) {
			t.Fatalf("round trip of %q: %q != %q", s, again.Combinations, tr.Combinations)
		}
	})
}
