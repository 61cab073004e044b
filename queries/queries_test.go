package queries

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStatements(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"SELECT 1;\nSELECT 2;\n", []string{"SELECT 1;", "SELECT 2;"}},
		{"-- only a comment;\nSELECT 1;", []string{"-- only a comment;\nSELECT 1;"}},
		{"SELECT \"a;\nb\" FROM t;\nSELECT 2;", []string{"SELECT \"a;\nb\" FROM t;", "SELECT 2;"}},
		{"SELECT 'x;\n''y;\n' AS s;\nSELECT 3", []string{"SELECT 'x;\n''y;\n' AS s;", "SELECT 3"}},
		{"SELECT 1; SELECT 2;\n", []string{"SELECT 1; SELECT 2;"}},
		{"-- header\n\n", nil},
	} {
		if diff := cmp.Diff(tc.want, Statements(tc.in)); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.in, diff)
		}
	}
}

// TestEveryFileRenders checks every embedded SQL file parses as a template
// and that templates without data render.
func TestEveryFileRenders(t *testing.T) {
	for _, name := range Names() {
		if _, err := Render(name, nil); err != nil && !strings.Contains(err.Error(), "nil") && !strings.Contains(err.Error(), "can't evaluate") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestIdent(t *testing.T) {
	if got := Ident(`a"b; DROP TABLE x; --`); got != `"a""b; DROP TABLE x; --"` {
		t.Errorf("got %s", got)
	}
}

func FuzzStatements(f *testing.F) {
	f.Add("SELECT 1;\nSELECT 'a;\n';\n")
	f.Fuzz(func(t *testing.T, s string) {
		// Splitting never loses or invents text other than blank space.
		joined := strings.Join(Statements(s), "")
		if len(strings.Join(strings.Fields(joined), "")) > len(strings.Join(strings.Fields(s), "")) {
			t.Fatalf("statements longer than the script")
		}
	})
}
