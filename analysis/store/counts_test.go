package store

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCounts(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	byName, err := Counts[string](ctx, db, "SELECT k, count(*) FROM (VALUES ('a'), ('b'), ('a')) t(k) WHERE k <> ? GROUP BY k", "z")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int64{"a": 2, "b": 1}, byName); diff != "" {
		t.Errorf("string keys (-want +got):\n%s", diff)
	}
	byID, err := Counts[int](ctx, db, "SELECT i % 3, count(*) FROM range(10) r(i) GROUP BY ALL")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[int]int64{0: 4, 1: 3, 2: 3}, byID); diff != "" {
		t.Errorf("int keys (-want +got):\n%s", diff)
	}
	if _, err := Counts[int](ctx, db, "SELECT 'x', 1"); err == nil {
		t.Error("a text key scanned as int: no error")
	}
}
