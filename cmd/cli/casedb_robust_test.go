package cli

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/breachscope/breachscope/analysis"
	"github.com/breachscope/breachscope/analysis/fault"
)

// TestCaseDatabaseIsACache damages the case database in every way we know
// and checks that analyze and report refuse it with advice to re-ingest
// (never a DuckDB stack, never a silent answer from a bad cache), and that
// ingest or run rebuild it and produce the same run as a clean case.
func TestCaseDatabaseIsACache(t *testing.T) {
	clean := copySample(t)
	mustRun(t, "run", "--quiet", "--run-id", "clean", clean)
	want := readManifest(t, filepath.Join(clean, "runs", "clean")).Outputs
	good := mustRead(t, filepath.Join(clean, analysis.DatabaseFile))

	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, dir, db string)
		why    string // what analyze and report must say
	}{
		{"garbage bytes", func(t *testing.T, dir, db string) {
			writeFile(t, db, strings.Repeat("not a database ", 10000))
		}, "case database unusable"},
		{"empty file", func(t *testing.T, dir, db string) {
			writeFile(t, db, "")
		}, "case database unusable"},
		{"truncated", func(t *testing.T, dir, db string) {
			writeFile(t, db, string(good[:len(good)/3]))
		}, "case database unusable"},
		{"blocks overwritten", func(t *testing.T, dir, db string) {
			b := append([]byte(nil), good...)
			for i := 3 * 4096; i < len(b); i++ { // keep DuckDB's three header blocks
				b[i] ^= 0x5a
			}
			writeFile(t, db, string(b))
		}, "case database"},
		{"missing", func(t *testing.T, dir, db string) {
			if err := os.Remove(db); err != nil {
				t.Fatal(err)
			}
		}, "case not ingested"},
		{"another schema version", func(t *testing.T, dir, db string) {
			execSQL(t, db, "UPDATE meta SET value = 'old' WHERE key = 'schema_version'")
		}, `made by another version of breachscope (schema "old"`},
		{"interrupted ingest", func(t *testing.T, dir, db string) {
			t.Setenv(fault.Env, "fail:"+fault.Ingest)
			if code, _, errOut := runCLI(t, "ingest", dir); code != ExitFailure {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			t.Setenv(fault.Env, "")
		}, "the last ingest did not finish"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copySample(t)
			db := filepath.Join(dir, analysis.DatabaseFile)
			writeFile(t, db, string(good))
			tc.damage(t, dir, db)
			for _, args := range [][]string{{"analyze", dir}, {"report", "--run-id", "bad", dir}} {
				code, out, errOut := runCLI(t, args...)
				if code != ExitFailure || !strings.Contains(errOut, tc.why) || !strings.Contains(errOut, "run breachscope ingest") {
					t.Errorf("%s: exit %d, want %d with %q and advice to ingest:\n%s%s", args[0], code, ExitFailure, tc.why, out, errOut)
				}
				if strings.Count(errOut, "\n") > 1 {
					t.Errorf("%s: the error is more than one line:\n%s", args[0], errOut)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "runs", "bad")); !os.IsNotExist(err) {
				t.Errorf("a run was published from a bad case database: %v", err)
			}
			mustRun(t, "run", "--quiet", "--run-id", "rebuilt", dir)
			mustRun(t, "verify", "--quiet", filepath.Join(dir, "runs", "rebuilt"))
			got := readManifest(t, filepath.Join(dir, "runs", "rebuilt")).Outputs
			if len(got) != len(want) {
				t.Fatalf("outputs: %d, want %d", len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("after a rebuild %s differs from a clean run", got[i].Path)
				}
			}
			st, err := os.Stat(db)
			if err != nil || st.Mode().Perm() != 0o600 {
				t.Errorf("case database mode: %v %v, want 0600 (it holds PII)", st.Mode().Perm(), err)
			}
		})
	}
}

func writeFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

// execSQL changes a case database behind breachscope's back.
func execSQL(t *testing.T, path, query string) {
	t.Helper()
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query); err != nil {
		t.Fatal(err)
	}
}

// TestTempDirIsPrivate checks that --temp-dir names a place to spill, not
// a directory breachscope owns: what else is in it survives the run.
func TestTempDirIsPrivate(t *testing.T) {
	dir := copySample(t)
	tmp := t.TempDir()
	writeFile(t, filepath.Join(tmp, "keep.txt"), "not breachscope's")
	mustRun(t, "run", "--quiet", "--temp-dir", tmp, "--run-id", "t", dir)
	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "keep.txt" {
		t.Errorf("the temp dir holds %v after the run, want only keep.txt", entries)
	}
}
