package casefile

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestElementLimit: the analysis keeps a customer's exposed elements as one
// bit each of a 128-bit mask, so a case with more data elements than
// MaxElements is refused up front, with the line, instead of overflowing
// the mask into wrong element lists.
func TestElementLimit(t *testing.T) {
	builtin := len(BuiltinElements)
	for _, tc := range []struct {
		extra int
		ok    bool
	}{{MaxElements - builtin, true}, {MaxElements - builtin + 1, false}} {
		var extra []string
		for k := range tc.extra {
			extra = append(extra, fmt.Sprintf("f%d: c%d", k, k))
		}
		src := fmt.Sprintf(`version: 1
customers:
  sources:
    - path: c.csv
      columns: {customer_id: id}
      extra: {%s}
logs:
  - {path: l.jsonl, fields: {time: t, method: m, path: p, status: s}}
endpoints:
  - {name: a, path: "/a/{customer_id}", exposes: [name]}
scope:
  principals: [k]
`, strings.Join(extra, ", "))
		c, err := Parse("dir", FileName, []byte(src))
		if tc.ok {
			if err != nil || len(c.Elements()) != MaxElements {
				t.Errorf("%d elements: %v", builtin+tc.extra, err)
			}
			continue
		}
		want := fmt.Sprintf("case.yaml:3: customers.sources: %d data elements (built-in and extra fields); at most %d", MaxElements+1, MaxElements)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), want) {
			t.Errorf("%d elements: got %v, want %q", builtin+tc.extra, err, want)
		}
	}
}
