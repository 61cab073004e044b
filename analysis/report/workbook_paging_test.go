package report

import (
	"context"
	"fmt"
	"testing"

	"github.com/breachscope/breachscope/analysis/report/xlsx"
	"github.com/breachscope/breachscope/analysis/store"
)

// TestPagedSheetAcrossPages reads a sheet of several pages (the next page is
// read while the current one is written) and checks every row arrives once,
// in order, and that the next sheet's query runs after the last page.
func TestPagedSheetAcrossPages(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, "", store.Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const n = 25001 // two full pages and one row
	if err := db.Exec(ctx, fmt.Sprintf(`CREATE TABLE people AS
		SELECT printf('phrase %%06d', i) AS phrase, ['name', 'email'][1:1 + CAST(i %% 2 AS INTEGER)] AS elements
		FROM range(%d) t(i)`, n)); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 2; round++ {
		s := pagedSheet(ctx, db, xlsx.Sheet{Name: "Data elements"}, "sheet_elements.sql", nil, "phrase")
		for i := 0; ; i++ {
			row, ok, err := s.Rows.Next()
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				if i != n {
					t.Fatalf("round %d: %d rows, want %d", round, i, n)
				}
				break
			}
			want := []any{fmt.Sprintf("phrase %06d", i), int64(1 + i%2), int64(1)}
			if fmt.Sprint(row) != fmt.Sprint(want) {
				t.Fatalf("round %d row %d: got %v want %v", round, i, row, want)
			}
		}
		if _, ok, err := s.Rows.Next(); ok || err != nil {
			t.Fatalf("round %d: rows after the end (%v, %v)", round, ok, err)
		}
	}
}
