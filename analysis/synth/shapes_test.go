package synth

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestShapesPlantEveryCase replays a case with every shape and checks that
// each hard case the shapes exist for is really among the attacker's
// requests, with the outcome the answer gives it. The end-to-end test
// (cmd/cli) checks that the product agrees; this one makes sure there is
// something to agree on.
func TestShapesPlantEveryCase(t *testing.T) {
	t.Parallel()
	opts := Options{Seed: 9, Customers: 1500, MultiTable: true, Former: true, MixedFormats: true, Ambiguous: true, Endpoints: true}
	m, err := modelFor(opts)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	plan := planAttack(m)
	m.formulaCustomer = plan.formula
	if err := writeCustomers(context.Background(), dir, m); err != nil {
		t.Fatal(err)
	}
	type kind struct {
		act action
		out outcome
	}
	seen := map[kind]int{}
	var rowWithoutAddress, former, householdOrRecycled, phoneForms, emailForms int
	forms := map[uint8]bool{}
	for e := range plan.events() {
		if e.act == actProbe || e.status != 200 || e.bytes == 0 {
			continue
		}
		c, rows, out := m.resolve(&e)
		seen[kind{e.act, out}]++
		if out != outMatched {
			if e.act == actLine && out == outAmbiguous {
				householdOrRecycled++
			}
			continue
		}
		if e.act == actBilling && m.present[c]&elAddress != 0 && rows&elAddress == 0 {
			rowWithoutAddress++ // the subscriber has an address, the account named has none
		}
		if c >= m.n {
			former++
		}
		switch e.act {
		case actLine:
			forms[e.form] = true
			phoneForms = len(forms)
		case actEmail:
			emailForms = max(emailForms, int(e.form)+1)
		}
	}
	for _, k := range []kind{
		{actAccount, outAmbiguous}, {actLine, outAmbiguous}, {actEmail, outAmbiguous}, {actAllAccounts, outMatched},
		{actEmail, outUnmatched}, {actCustomerID, outUnmatched}, {actBilling, outUnmatched},
		{actBilling, outMatched}, {actCustomerID, outMatched}, {actEmail, outMatched},
	} {
		if seen[k] == 0 {
			t.Errorf("no successful request of action %d with outcome %d; seen %v", k.act, k.out, seen)
		}
	}
	if rowWithoutAddress == 0 || former == 0 || householdOrRecycled == 0 {
		t.Errorf("billing of an account without address: %d, former customers matched: %d, shared phones asked: %d",
			rowWithoutAddress, former, householdOrRecycled)
	}
	if phoneForms != int(allPhoneQueryForms) || emailForms == 0 {
		t.Errorf("phone forms in requests: %d of %d; email forms %d", phoneForms, allPhoneQueryForms, emailForms)
	}

	// The tables hold every form of each identifier.
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	subs, accts, former2 := read(subscribersFile), read(accountsFile), read(formerFile)
	for what, re := range map[string]string{
		"(555) 201-0001": `,\(\d{3}\) \d{3}-\d{4},`, "555-201-0001": `,\d{3}-\d{3}-\d{4},`, "555.201.0001": `,\d{3}\.\d{3}\.\d{4},`,
		"+1 555 201 0001": `,\+1 \d{3} \d{3} \d{4},`, "15552010001": `,1\d{10},`, "+1-555-201-0001": `,\+1-\d{3}-\d{3}-\d{4},`,
		"date 1987-03-14": `,\d{4}-\d\d-\d\d,`, "date 19870314": `,(19|20)\d{6},`, "date 14.03.1987": `,\d\d\.\d\d\.\d{4},`,
		"date 03/14/1987": `,\d\d/\d\d/\d{4},`, "email with spaces": `," [^",]+@[^",]+",`,
	} {
		if !regexp.MustCompile(re).MatchString(subs) {
			t.Errorf("subscribers.csv has no %s", what)
		}
	}
	for what, re := range map[string]string{"10 digits": `^C\d+,\d{10},`, "bare": `^C\d+,[1-9]\d{5,8},`, "12 digits": `^C\d+,\d{12},`} {
		if !regexp.MustCompile(`(?m)` + re).MatchString(accts) {
			t.Errorf("accounts.csv has no %s account number", what)
		}
	}
	if !regexp.MustCompile(`(?m),[0-3]\d/[01]\d/\d{4},`).MatchString(former2) || !strings.Contains(former2, ",9000000") {
		t.Errorf("former_customers.csv lacks day-month-year dates or closed accounts:\n%.300s", former2)
	}
}

// TestShapesOffIsDefault: a case with no shape is the default case: the
// same files as before shapes existed, named the same way.
func TestShapesOffIsDefault(t *testing.T) {
	t.Parallel()
	a, _ := generate(t, Options{Seed: 2, Customers: 300})
	for _, name := range []string{subscribersFile, accountsFile, formerFile} {
		if _, err := os.Stat(filepath.Join(a, name)); err == nil {
			t.Errorf("%s written without its shape", name)
		}
	}
	b, _ := generate(t, Options{Seed: 2, Customers: 300, MultiTable: true})
	if _, err := os.Stat(filepath.Join(b, customersFile)); err == nil {
		t.Error("customers.csv written in a multi-table case")
	}
}
