//go:build unix

package store

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestWriteAheadLogIsPrivate: DuckDB creates case.duckdb.wal itself when a
// statement writes, and again after every checkpoint; under the usual
// umask (022) it would be readable by everyone while a run goes on. Open
// makes it, and every file DuckDB creates, readable by the owner only.
func TestWriteAheadLogIsPrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
	dir := t.TempDir()
	path := filepath.Join(dir, "case.duckdb")
	// A log left by an earlier process (a crash) with the wrong mode.
	if err := os.WriteFile(path+".wal", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path+".wal", 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := Open(ctx, path, Options{TempDir: filepath.Join(dir, ".tmp")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	check := func(when string) {
		t.Helper()
		for _, p := range []string{path, path + ".wal"} {
			st, err := os.Stat(p)
			if err != nil {
				t.Fatalf("%s: %v", when, err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("%s: %s has mode %v, want 0600", when, filepath.Base(p), st.Mode().Perm())
			}
		}
	}
	for _, q := range []string{"CREATE TABLE t (x VARCHAR)", "INSERT INTO t VALUES ('a'), ('b')"} {
		if err := db.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	check("after the first writes")
	// A checkpoint removes the log; the next write creates a new one.
	for _, q := range []string{"CHECKPOINT", "INSERT INTO t VALUES ('c')"} {
		if err := db.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	check("after a checkpoint and another write")
}
