package jurisdiction

import (
	"slices"
	"testing"
)

func TestMerge(t *testing.T) {
	base := []Rule{{Code: "US-CA", DeadlineDays: 30}, {Code: "US-NY", DeadlineDays: 30}}
	overrides := []Rule{
		{Code: "US-NY", DeadlineDays: 10},
		{Code: "UK-GDPR", RegulatorDeadlineDays: 3},
		{Code: "US-NY", DeadlineDays: 5},
	}
	got := Merge(base, overrides)
	var codes []string
	for _, r := range got {
		codes = append(codes, r.Code)
	}
	if want := []string{"US-CA", "US-NY", "UK-GDPR"}; !slices.Equal(codes, want) {
		t.Fatalf("codes = %q, want %q", codes, want)
	}
	if got[1].DeadlineDays != 5 {
		t.Errorf("US-NY deadline = %d, want the last override's 5", got[1].DeadlineDays)
	}
	if base[1].DeadlineDays != 30 || len(base) != 2 {
		t.Errorf("Merge changed its input: %+v", base)
	}
}

func TestMergeReplacesWholeRow(t *testing.T) {
	rules, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := ParseTrigger("name+ssn")
	if err != nil {
		t.Fatal(err)
	}
	got := Merge(rules, []Rule{{Code: "US-CA", Name: "California (counsel)", Triggers: tr}})
	if len(got) != len(rules) {
		t.Fatalf("%d rows, want %d", len(got), len(rules))
	}
	i := slices.IndexFunc(got, func(r Rule) bool { return r.Code == "US-CA" })
	ca := got[i]
	if ca.Name != "California (counsel)" || ca.RegulatorThreshold != 0 || ca.DeadlineDays != 0 {
		t.Errorf("US-CA = %+v, want the override as given, blanks included", ca)
	}
	if ok, _ := ca.Triggered(set("email", "password")); ok {
		t.Error("the override's triggers should replace the shipped ones")
	}
}
