package people

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestManyElements: a customer's and a person's exposed elements are kept
// as a bit mask over the elements' order (a grouping that spills); with 100
// extra fields the mask passes bit 64, and the element lists and phrases
// must still name exactly the exposed fields the records hold, in order.
func TestManyElements(t *testing.T) {
	const extras = 100
	dir := t.TempDir()
	var extra, header []string
	for k := range extras {
		extra = append(extra, fmt.Sprintf("f%03d: c%03d", k, k))
		header = append(header, fmt.Sprintf("c%03d", k))
	}
	row := func(id, name string, filled ...int) string {
		vals := make([]string, extras)
		for _, k := range filled {
			vals[k] = "v"
		}
		return id + "," + name + "," + strings.Join(vals, ",")
	}
	files := map[string]string{
		"case.yaml": fmt.Sprintf(`version: 1
customers:
  sources:
    - path: c.csv
      columns: {customer_id: id, full_name: name}
      extra: {%s}
logs:
  - {path: l.jsonl, fields: {time: ts, method: m, path: p, status: s, principal: k}}
endpoints:
  - {name: a, path: "/a/{customer_id}", exposes: [name, email, %s]}
scope:
  principals: [k]
discovery_date: 2023-01-05
`, strings.Join(extra, ", "), allExtras(extras)),
		"c.csv": "id,name," + strings.Join(header, ",") + "\n" +
			row("1", "Ann Example", 0, 62, 63, 64, 99) + "\n" +
			row("2", "", 1, 98) + "\n" +
			row("3", "Cy Example") + "\n",
		"l.jsonl": `{"ts":"2023-01-02T00:00:00Z","m":"GET","p":"/a/1","s":200,"k":"k"}` + "\n" +
			`{"ts":"2023-01-02T00:00:01Z","m":"GET","p":"/a/2","s":200,"k":"k"}` + "\n" +
			`{"ts":"2023-01-02T00:00:02Z","m":"GET","p":"/a/3","s":200,"k":"k"}` + "\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	db := analyze(t, dir)
	ctx := context.Background()
	want := "1\t[name f000 f062 f063 f064 f099]\tname, f000, f062, f063, f064 and f099\n" +
		"2\t[f001 f098]\tf001 and f098\n" +
		"3\t[name]\tname"
	for _, q := range []string{
		"SELECT customer_id, elements, phrase FROM exposed_customers ORDER BY customer_id",
		"SELECT customer_ids[1], elements, phrase FROM people ORDER BY customer_ids[1]",
	} {
		got, err := db.Text(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		_, rows, _ := strings.Cut(got, "\n") // the header line
		if rows = strings.TrimSpace(rows); rows != want {
			t.Errorf("%s:\n%s\nwant\n%s", q, rows, want)
		}
	}
}

func allExtras(n int) string {
	var names []string
	for k := range n {
		names = append(names, fmt.Sprintf("f%03d", k))
	}
	return strings.Join(names, ", ")
}
