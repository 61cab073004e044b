package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// The floor must find exactly the sample case's known exposed customers,
// or the benchmark would compare breachscope with a wrong answer.
func TestFloorFindsTheAnswer(t *testing.T) {
	dir := filepath.Join("..", "..", "samples", "demo-case")
	var want struct {
		Exposed int64 `json:"exposed_customers"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "expected", "summary.json"))
	if err == nil {
		err = json.Unmarshal(b, &want)
	}
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "floor.csv")
	got, err := run(context.Background(), dir, out, 1, "256MB", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if got != want.Exposed || want.Exposed == 0 {
		t.Fatalf("floor found %d exposed customers, the answer is %d", got, want.Exposed)
	}
	if st, err := os.Stat(out); err != nil || st.Size() == 0 {
		t.Fatalf("no CSV written: %v", err)
	}
}
