package store

import (
	"database/sql"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBindSkipsQuotedText checks that only real parameters are bound: a
// quoted column name from a case file may contain "$name", "--" or "/*"
// and must neither be bound nor hide a parameter after it.
func TestBindSkipsQuotedText(t *testing.T) {
	params := map[string]any{"a": 1, "b": 2, "path": "p"}
	for _, tc := range []struct {
		stmt string
		want []string
	}{
		{`SELECT "cost$path" FROM t WHERE x = $a`, []string{"a"}},
		{`SELECT "a--b", $b`, []string{"b"}},
		{`SELECT "a/*b", $b, "c*/"`, []string{"b"}},
		{`SELECT 'it''s $path', $a`, []string{"a"}},
		{`SELECT "say ""$path""", $a`, []string{"a"}},
		{`SELECT '$.x', $a -- and $path`, []string{"a"}},
		{"SELECT $a /* $path\n */, $b", []string{"a", "b"}},
		{`SELECT $path, ''`, []string{"path"}},
	} {
		args, err := bind(tc.stmt, params)
		if err != nil {
			t.Errorf("%s: %v", tc.stmt, err)
			continue
		}
		var got []string
		for _, a := range args {
			got = append(got, a.(sql.NamedArg).Name)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.stmt, diff)
		}
	}
}
