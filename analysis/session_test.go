package analysis

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/breachscope/breachscope/analysis/synth"
)

// TestInputsHashedOncePerSession: a session that ingested (or checked) the
// inputs does not hash them again for analyze, so `run` reads every input
// file once for hashing; a later session, as a separate `analyze` is,
// re-hashes them and refuses inputs changed since ingest.
func TestInputsHashedOncePerSession(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "case")
	if _, err := synth.Generate(ctx, dir, synth.Options{Seed: 3, Customers: 50}); err != nil {
		t.Fatal(err)
	}
	sess, err := Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sess.Ingest(ctx); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "customers.csv"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\n")
	f.Close()
	if _, err := sess.Analyze(ctx); err != nil {
		t.Fatalf("same session re-hashed the inputs: %v", err)
	}
	sess.Close()

	later, err := Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer later.Close()
	if _, err := later.Analyze(ctx); !errors.Is(err, ErrInputsChanged) {
		t.Fatalf("a new session must re-hash and refuse the changed input, got %v", err)
	}
}
