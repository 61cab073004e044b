package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocsCurrent regenerates the command reference into a temporary
// directory and compares it with docs/cli: a command or flag changed
// without `make docs` fails here (CI runs it).
func TestDocsCurrent(t *testing.T) {
	tmp := t.TempDir()
	mustRun(t, "gen-docs", tmp)
	committed := filepath.Join("..", "..", "docs", "cli")
	want := listFiles(t, committed)
	got := listFiles(t, tmp)
	if len(got) == 0 {
		t.Fatal("gen-docs wrote nothing")
	}
	for name, b := range got {
		w, ok := want[name]
		switch {
		case !ok:
			t.Errorf("docs/cli/%s is missing: run make docs", name)
		case !bytes.Equal(w, b):
			t.Errorf("docs/cli/%s is stale: run make docs", name)
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("docs/cli/%s documents nothing any more: run make docs (it removes stale pages)", name)
		}
	}
}

func listFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.ToSlash(rel)] = b
		return nil
	})
	return out
}

// TestEveryCommandHasExample: every command's help shows a real example of
// itself, and the shared flags are the same everywhere.
func TestEveryCommandHasExample(t *testing.T) {
	root := newRootCmd(&streams{in: strings.NewReader(""), out: &bytes.Buffer{}, err: &bytes.Buffer{}})
	for _, c := range root.Commands() {
		if !c.IsAvailableCommand() || c.Name() == "help" {
			continue
		}
		if !strings.Contains(c.Example, "breachscope "+c.Name()) {
			t.Errorf("%s: its example does not show breachscope %s:\n%s", c.Name(), c.Name(), c.Example)
		}
		for _, f := range []string{"json", "quiet", "threads", "memory-limit", "temp-dir"} {
			if c.Flags().Lookup(f) == nil && c.InheritedFlags().Lookup(f) == nil {
				t.Errorf("%s lacks the shared flag --%s", c.Name(), f)
			}
		}
	}
}
