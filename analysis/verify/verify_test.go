package verify_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/breachscope/breachscope/analysis"
	"github.com/breachscope/breachscope/analysis/report"
	"github.com/breachscope/breachscope/analysis/verify"
)

var (
	sampleOnce sync.Once
	sampleDir  string
	sampleErr  error
)

// sampleRun runs the demo case once (into a directory removed when the
// test binary's temp root is) and returns a fresh copy of the case with its
// run r1 for each caller to tamper with.
func sampleRun(t *testing.T) string {
	t.Helper()
	sampleOnce.Do(func() {
		sampleDir, sampleErr = os.MkdirTemp("", "verify-sample")
		if sampleErr != nil {
			return
		}
		src := filepath.Join("..", "..", "samples", "demo-case")
		if sampleErr = copyTree(src, sampleDir); sampleErr != nil {
			return
		}
		sampleErr = runCase(sampleDir)
	})
	if sampleErr != nil {
		t.Fatal(sampleErr)
	}
	dst := filepath.Join(t.TempDir(), "case")
	if err := copyTree(sampleDir, dst); err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sampleDir != "" {
		os.RemoveAll(sampleDir)
	}
	os.Exit(code)
}

func runCase(dir string) error {
	ctx := context.Background()
	s, err := analysis.Open(ctx, dir, analysis.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Ingest(ctx); err != nil {
		return err
	}
	if _, err := s.Analyze(ctx); err != nil {
		return err
	}
	_, err = s.Report(ctx, analysis.ReportOptions{RunID: "r1"})
	return err
}

func copyTree(src, dst string) error {
	return filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o600)
	})
}

// TestVerify tampers with a finished run in every way the manifest can
// catch and checks that exactly the tampered files are named.
func TestVerify(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, caseDir, run string)
		want   []verify.Problem
	}{
		{"clean run", func(*testing.T, string, string) {}, nil},
		{"output modified, same size", func(t *testing.T, _, run string) {
			flipLastByte(t, filepath.Join(run, report.ExposedParquet))
		}, []verify.Problem{{Path: report.ExposedParquet, Kind: verify.KindOutput, Issue: "sha256 differs"}}},
		{"output truncated", func(t *testing.T, _, run string) {
			truncate(t, filepath.Join(run, report.EvidenceParquet), 10)
		}, []verify.Problem{{Path: report.EvidenceParquet, Kind: verify.KindOutput, Issue: "size differs: 10 bytes, manifest says *"}}},
		{"output deleted", func(t *testing.T, _, run string) {
			remove(t, filepath.Join(run, report.WorkbookXLSX))
		}, []verify.Problem{{Path: report.WorkbookXLSX, Kind: verify.KindOutput, Issue: "missing"}}},
		{"output replaced by a link to itself", func(t *testing.T, _, run string) {
			p := filepath.Join(run, report.UnmatchedCSV)
			moved := filepath.Join(t.TempDir(), "u.csv")
			if err := os.Rename(p, moved); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(moved, p); err != nil {
				t.Fatal(err)
			}
		}, []verify.Problem{{Path: report.UnmatchedCSV, Kind: verify.KindOutput, Issue: "not a regular file"}}},
		{"extra files", func(t *testing.T, _, run string) {
			write(t, filepath.Join(run, "data", "extra.csv"), "x")
			write(t, filepath.Join(run, "README"), "x")
		}, []verify.Problem{
			{Path: "README", Kind: verify.KindExtra, Issue: "not in the manifest"},
			{Path: "data/extra.csv", Kind: verify.KindExtra, Issue: "not in the manifest"},
		}},
		{"input changed", func(t *testing.T, caseDir, _ string) {
			flipLastByte(t, filepath.Join(caseDir, "logs", "api-2022-12.jsonl.gz"))
		}, []verify.Problem{{Path: "logs/api-2022-12.jsonl.gz", Kind: verify.KindInput, Issue: "sha256 differs"}}},
		{"input deleted", func(t *testing.T, caseDir, _ string) {
			remove(t, filepath.Join(caseDir, "customers.csv"))
		}, []verify.Problem{{Path: "customers.csv", Kind: verify.KindInput, Issue: "missing"}}},
		{"case file edited", func(t *testing.T, caseDir, _ string) {
			appendTo(t, filepath.Join(caseDir, "case.yaml"), "\n# edited\n")
		}, []verify.Problem{{Path: "case.yaml", Kind: verify.KindCaseFile, Issue: "sha256 differs"}}},
		{"manifest deleted", func(t *testing.T, _, run string) {
			remove(t, filepath.Join(run, "manifest.json"))
		}, []verify.Problem{{Path: "manifest.json", Kind: verify.KindManifest, Issue: "missing"}}},
		{"manifest not JSON", func(t *testing.T, _, run string) {
			truncate(t, filepath.Join(run, "manifest.json"), 100)
		}, []verify.Problem{{Path: "manifest.json", Kind: verify.KindManifest, Issue: "not valid JSON: *"}}},
		{"manifest points outside the run", func(t *testing.T, _, run string) {
			editManifest(t, run, func(m map[string]any) {
				for _, o := range m["outputs"].([]any) {
					if o := o.(map[string]any); o["path"] == report.ExposedParquet {
						o["path"] = "../../case.yaml"
					}
				}
			})
		}, []verify.Problem{
			{Path: "../../case.yaml", Kind: verify.KindOutput, Issue: "path outside the run directory"},
			{Path: report.ExposedParquet, Kind: verify.KindExtra, Issue: "not in the manifest"},
		}},
		{"manifest's case file copy edited", func(t *testing.T, _, run string) {
			editManifest(t, run, func(m map[string]any) {
				m["case"].(map[string]any)["content"] = "version: 1\n"
			})
		}, []verify.Problem{{Path: "case.yaml", Kind: verify.KindCaseFile, Issue: "the manifest's copy of the case file does not match its recorded sha256"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			caseDir := sampleRun(t)
			run := filepath.Join(caseDir, "runs", "r1")
			tc.tamper(t, caseDir, run)
			res, err := verify.Run(context.Background(), run, verify.Options{})
			if res == nil {
				t.Fatalf("no result: %v", err)
			}
			if (err != nil) != (len(tc.want) > 0) || (err != nil && !errors.Is(err, verify.ErrMismatch)) {
				t.Fatalf("error %v, want problems %v", err, tc.want)
			}
			if diff := cmp.Diff(tc.want, res.Problems, cmp.Comparer(matchProblem)); len(tc.want)+len(res.Problems) > 0 && diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			for _, p := range tc.want {
				if !strings.Contains(err.Error(), p.Path) {
					t.Errorf("the error does not name %s: %v", p.Path, err)
				}
			}
			if tc.want == nil {
				var m struct{ Outputs, Inputs []any }
				if err := json.Unmarshal(readFile(t, filepath.Join(run, "manifest.json")), &m); err != nil {
					t.Fatal(err)
				}
				if res.Outputs != len(m.Outputs) || res.Inputs != len(m.Inputs) || res.Inputs == 0 || !res.CaseFile {
					t.Errorf("checked %d outputs, %d inputs, case file %v; the manifest lists %d and %d",
						res.Outputs, res.Inputs, res.CaseFile, len(m.Outputs), len(m.Inputs))
				}
			}
		})
	}
}

// matchProblem compares problems; an Issue ending in * in either is a prefix.
func matchProblem(a, b verify.Problem) bool {
	if a.Path != b.Path || a.Kind != b.Kind {
		return false
	}
	for _, p := range [][2]string{{a.Issue, b.Issue}, {b.Issue, a.Issue}} {
		if prefix, ok := strings.CutSuffix(p[0], "*"); ok {
			return strings.HasPrefix(p[1], prefix)
		}
	}
	return a.Issue == b.Issue
}

func TestVerifyPartialRun(t *testing.T) {
	caseDir := sampleRun(t)
	partial := filepath.Join(caseDir, "runs", "r1.partial")
	if err := os.Rename(filepath.Join(caseDir, "runs", "r1"), partial); err != nil {
		t.Fatal(err)
	}
	res, err := verify.Run(context.Background(), partial, verify.Options{})
	if !errors.Is(err, verify.ErrMismatch) || len(res.Problems) != 1 || res.Problems[0].Kind != verify.KindRun {
		t.Fatalf("a .partial directory verified: %v %+v", err, res)
	}
}

func TestVerifyElsewhere(t *testing.T) {
	caseDir := sampleRun(t)
	archived := filepath.Join(t.TempDir(), "archive")
	if err := os.Rename(filepath.Join(caseDir, "runs", "r1"), archived); err != nil {
		t.Fatal(err)
	}
	if _, err := verify.Run(context.Background(), archived, verify.Options{CaseDir: caseDir}); err != nil {
		t.Fatalf("an archived run with --case: %v", err)
	}
	res, err := verify.Run(context.Background(), archived, verify.Options{})
	if !errors.Is(err, verify.ErrMismatch) || res.Inputs == 0 || len(res.Problems) != res.Inputs+1 {
		t.Fatalf("without the case directory the inputs must be reported missing: %v", err)
	}
	if _, err := verify.Run(context.Background(), filepath.Join(caseDir, "runs", "nope"), verify.Options{}); err == nil || errors.Is(err, verify.ErrMismatch) {
		t.Fatalf("a run directory that does not exist: %v", err)
	}
}

func readFile(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func flipLastByte(t *testing.T, p string) {
	t.Helper()
	b := readFile(t, p)
	b[len(b)-1] ^= 1
	write(t, p, string(b))
}

func truncate(t *testing.T, p string, n int64) {
	t.Helper()
	if err := os.Truncate(p, n); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, p string) {
	t.Helper()
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

func appendTo(t *testing.T, p, s string) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

func editManifest(t *testing.T, run string, edit func(map[string]any)) {
	t.Helper()
	p := filepath.Join(run, "manifest.json")
	var m map[string]any
	if err := json.Unmarshal(readFile(t, p), &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	write(t, p, string(b))
}
