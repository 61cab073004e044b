package jurisdiction

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/breachscope/breachscope/analysis/casefile"
)

// The README states the columns, the elements and how many rows are
// verified; this keeps it true as the table changes.
func TestREADMEMatchesTable(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, c := range Columns {
		if !strings.Contains(readme, "| `"+c+"` |") {
			t.Errorf("README.md does not define column %q", c)
		}
	}
	for _, e := range Elements {
		if !strings.Contains(readme, fmt.Sprintf("| `%s` | %s |", e.Name, e.Description)) {
			t.Errorf("README.md does not list element %q as %q", e.Name, e.Description)
		}
	}
	rules, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	rows, items := 0, 0
	for _, r := range rules {
		if u := r.Unverified(); len(u) > 0 {
			rows++
			items += len(u)
		}
	}
	for _, want := range []string{
		fmt.Sprintf("%d rows. %d rows have no unverified cell", len(rules), len(rules)-rows),
		fmt.Sprintf("%d rows carry %d `unverified:` notes", rows, items),
	} {
		if !strings.Contains(strings.Join(strings.Fields(readme), " "), want) {
			t.Errorf("README.md should say %q", want)
		}
	}
}

// The built-in customer elements keep their names in the rules vocabulary,
// so a trigger naming them sees what resolve exposed.
func TestBuiltinElementsAreKnown(t *testing.T) {
	for _, e := range casefile.BuiltinElements {
		if !known(e.Name, nil) {
			t.Errorf("built-in element %q is not in Elements", e.Name)
		}
	}
}
