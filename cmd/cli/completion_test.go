package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestCompletion asks the completion machinery what the shells ask: case
// directories for a case argument, runs for --run-id, run directories for
// verify, and the scripts themselves for bash, zsh and fish.
func TestCompletion(t *testing.T) {
	root := t.TempDir()
	mk := func(p string, files ...string) {
		if err := os.MkdirAll(filepath.Join(root, p), 0o700); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if err := os.WriteFile(filepath.Join(root, p, f), []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	mk("acme", "case.yaml")
	mk("acme/runs/r1", "manifest.json")
	mk("acme/runs/r2.partial")
	mk("archive/acme")
	mk("archive/beta", "case.yaml")
	for _, tc := range []struct {
		name string
		args []string
		want []string
		not  []string
	}{
		{"case dirs", []string{"run", root + "/"}, []string{root + "/acme\n", root + "/archive/\n"}, nil},
		{"descend", []string{"check", root + "/archive/"}, []string{root + "/archive/beta\n", root + "/archive/acme/\n"}, nil},
		{"one case only", []string{"run", root + "/acme", ""}, nil, []string{root}},
		{"run ids", []string{"report", root + "/acme", "--run-id", ""}, []string{"r1\n"}, []string{"r2.partial"}},
		{"run dirs", []string{"verify", root + "/acme/runs/"}, []string{root + "/acme/runs/r1\n"}, nil},
		{"query formats", []string{"query", "--format", ""}, []string{"table\n", "csv\n", "json\n"}, nil},
		{"commands", []string{""}, []string{"init\t", "check\t", "query\t"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"__complete"}, tc.args...)...)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("completion lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(out, w) {
					t.Errorf("completion offers %q:\n%s", w, out)
				}
			}
		})
	}
	for _, shell := range []string{"bash", "zsh", "fish"} {
		out := mustRun(t, "completion", shell)
		if !strings.Contains(out, "breachscope") || len(out) < 1000 {
			t.Errorf("%s completion script looks wrong:\n%.200s", shell, out)
		}
	}
}

// TestInitFileLists: files after --customers and --logs belong to them,
// as a shell expands globs, whatever the order of the flags.
func TestInitFileLists(t *testing.T) {
	for _, tc := range []struct {
		args            []string
		caseDir         string
		customers, logs []string
	}{
		{[]string{"c", "--customers", "a.csv", "--logs", "1.log", "2.log", "3.log"}, "c", []string{"a.csv"}, []string{"1.log", "2.log", "3.log"}},
		{[]string{"c", "--logs", "1.log", "2.log", "--customers", "a.csv", "b.csv"}, "c", []string{"a.csv", "b.csv"}, []string{"1.log", "2.log"}},
		{[]string{"--quiet", "c", "--customers=a.csv", "--logs", "1.log", "--json"}, "c", []string{"a.csv"}, []string{"1.log"}},
	} {
		cmd := &cobra.Command{Use: "init"}
		l := newFileLists(cmd, "customers", "logs")
		cmd.Flags().Var(l.flag("customers"), "customers", "")
		cmd.Flags().Var(l.flag("logs"), "logs", "")
		cmd.Flags().Bool("quiet", false, "")
		cmd.Flags().Bool("json", false, "")
		if err := cmd.Flags().Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		rest := l.assign(cmd.Flags().Args())
		if len(rest) != 1 || rest[0] != tc.caseDir || strings.Join(l.values["customers"], ",") != strings.Join(tc.customers, ",") ||
			strings.Join(l.values["logs"], ",") != strings.Join(tc.logs, ",") {
			t.Errorf("%v: case %v, customers %v, logs %v", tc.args, rest, l.values["customers"], l.values["logs"])
		}
	}
}
