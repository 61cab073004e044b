package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/google/go-cmp/cmp"

	"github.com/breachscope/breachscope/analysis/report"
)

// TestArrowMatchesPeopleParquet reads data/people.arrow back with Arrow's
// own IPC reader and compares its schema, and every value of every row in
// order, with data/people.parquet, which DuckDB wrote.
func TestArrowMatchesPeopleParquet(t *testing.T) {
	dir := copySample(t)
	mustRun(t, "run", "--quiet", "--run-id", "a", dir)
	run := filepath.Join(dir, "runs", "a")
	want := queryRows(t, fmt.Sprintf(`SELECT person_id, reference_code, letter_version, channel, coalesce(jurisdiction, '<null>'),
		CAST(minor AS VARCHAR), CAST(deceased AS VARCHAR), CAST(records AS VARCHAR),
		array_to_string(customer_ids, '|'), array_to_string(elements, '|'), phrase
		FROM read_parquet('%s') ORDER BY person_id`, filepath.Join(run, report.PeopleParquet)))
	if len(want) == 0 {
		t.Fatal("the sample has no people")
	}
	f, err := os.Open(filepath.Join(run, report.PeopleArrow))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := ipc.NewFileReader(f, ipc.WithAllocator(memory.NewGoAllocator()))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var fields []string
	for _, fl := range r.Schema().Fields() {
		fields = append(fields, fl.Name+":"+fl.Type.String())
	}
	wantFields := []string{"person_id:utf8", "reference_code:utf8", "letter_version:utf8", "channel:utf8", "jurisdiction:utf8",
		"minor:bool", "deceased:bool", "records:int64", "customer_ids:list<item: utf8, nullable>", "elements:list<item: utf8, nullable>", "phrase:utf8"}
	if diff := cmp.Diff(wantFields, fields); diff != "" {
		t.Errorf("schema (-want +got):\n%s", diff)
	}
	var got [][]string
	for k := 0; k < r.NumRecords(); k++ {
		rec, err := r.Record(k)
		if err != nil {
			t.Fatal(err)
		}
		for row := 0; row < int(rec.NumRows()); row++ {
			var vals []string
			for _, col := range rec.Columns() {
				vals = append(vals, arrowText(t, col, row))
			}
			got = append(got, vals)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("people.arrow differs from people.parquet (-parquet +arrow):\n%s", diff)
	}
}

// arrowText renders one value as queryRows renders DuckDB's: lists joined
// with |, a NULL string as <null> (jurisdiction) and a NULL list as "".
func arrowText(t *testing.T, col arrow.Array, row int) string {
	t.Helper()
	switch a := col.(type) {
	case *array.String:
		if a.IsNull(row) {
			return "<null>"
		}
		return a.Value(row)
	case *array.Boolean:
		return strconv.FormatBool(a.Value(row))
	case *array.Int64:
		return strconv.FormatInt(a.Value(row), 10)
	case *array.List:
		if a.IsNull(row) {
			return ""
		}
		start, end := a.ValueOffsets(row)
		items := a.ListValues().(*array.String)
		var parts []string
		for i := start; i < end; i++ {
			parts = append(parts, items.Value(int(i)))
		}
		return strings.Join(parts, "|")
	}
	t.Fatalf("unexpected Arrow column type %s", col.DataType())
	return ""
}
