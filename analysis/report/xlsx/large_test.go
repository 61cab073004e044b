package xlsx

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// TestOneAndAHalfMillionPeople writes an Individuals-like sheet of 1.5
// million rows: it must split at Excel's row limit into two sheets that
// together hold every row, streaming (run `go test -run OneAndAHalf -v`
// under /usr/bin/time -v to see the peak memory; the closing note of the
// workbook issue records it).
func TestOneAndAHalfMillionPeople(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 1.5 million rows; skipped with -short")
	}
	const n = 1_500_000
	i := 0
	row := make([]any, 8)
	at := time.Date(2022, 12, 1, 0, 0, 0, 0, time.UTC)
	rows := RowFunc(func() ([]any, bool, error) {
		if i == n {
			return nil, false, nil
		}
		i++
		row[0], row[1], row[2], row[3] = fmt.Sprintf("REF%09d", i), "J*** S****", "1*** M*** S*", "j***@example.com"
		row[4], row[5], row[6], row[7] = "US-CA", "mail", int64(i%7), at
		return row, true, nil
	})
	dir := t.TempDir()
	rep, err := Write(context.Background(), filepath.Join(dir, "big.xlsx"), []Sheet{{
		Name: "Individuals", Title: "People to notify",
		Columns: []Column{{Header: "Reference code"}, {Header: "Addressee"}, {Header: "Address"}, {Header: "Email"},
			{Header: "Jurisdiction"}, {Header: "Channel"}, {Header: "Records", Kind: Int}, {Header: "First exposed", Kind: Timestamp}},
		Rows: rows,
	}}, Options{TempDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sheets) != 2 || rep.Sheets[0].Name != "Individuals" || rep.Sheets[1].Name != "Individuals (2)" {
		t.Fatalf("sheets: %+v", rep.Sheets)
	}
	if got := rep.Sheets[0].Rows + rep.Sheets[1].Rows; got != n {
		t.Fatalf("rows written %d, want %d", got, n)
	}
	// Title, blank row and header take three rows of the first sheet's 1,048,576.
	if rep.Sheets[0].Rows != 1_048_576-3 {
		t.Errorf("first sheet holds %d rows", rep.Sheets[0].Rows)
	}
}
