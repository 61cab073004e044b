// Package verify checks a finished run against its manifest: every output
// and input is re-hashed, and every file that is missing, differs or was
// added is named. It is the chain-of-custody check a recipient of a run
// (counsel, a regulator, a court expert) can repeat at any time.
package verify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/breachscope/breachscope/analysis/ingest"
	"github.com/breachscope/breachscope/analysis/report"
)

// ErrMismatch means the run's files are not the ones its manifest lists.
var ErrMismatch = errors.New("run does not match its manifest")

// Kinds of file a Problem is about.
const (
	KindRun      = "run"       // the run directory itself
	KindManifest = "manifest"  // manifest.json
	KindOutput   = "output"    // a file the run wrote
	KindExtra    = "extra"     // a file in the run directory the manifest does not list
	KindCaseFile = "case file" // the case.yaml the run was made from
	KindInput    = "input"     // an input file the run was made from
)

// Problem is one file that does not match the manifest.
type Problem struct {
	// Path is as the manifest lists it (outputs relative to the run
	// directory, inputs to the case directory).
	Path  string `json:"path"`
	Kind  string `json:"kind"`
	Issue string `json:"issue"`
}

func (p Problem) String() string { return fmt.Sprintf("%s %s: %s", p.Kind, p.Path, p.Issue) }

// Result is what Run checked and found.
type Result struct {
	RunDir   string    `json:"run_dir"`
	CaseDir  string    `json:"case_dir"`
	RunID    string    `json:"run_id,omitempty"`
	Outputs  int       `json:"outputs_checked"`
	Inputs   int       `json:"inputs_checked"`
	CaseFile bool      `json:"case_file_checked"`
	Problems []Problem `json:"problems"`
}

// Options configures Run.
type Options struct {
	// CaseDir holds the inputs; "" means the run directory's grandparent
	// (<case>/runs/<id>), where breachscope writes runs.
	CaseDir string
}

// Run verifies the run in runDir. It returns an error wrapping ErrMismatch,
// together with the Result naming every problem, when any file is missing,
// differs from the manifest, or is not listed in it; other errors mean the
// check itself could not be made.
func Run(ctx context.Context, runDir string, opts Options) (*Result, error) {
	st, err := os.Stat(runDir)
	if err != nil {
		return nil, fmt.Errorf("verify %s: %w", runDir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("verify %s: not a directory: give the run directory (<case>/runs/<id>)", runDir)
	}
	caseDir := opts.CaseDir
	if caseDir == "" {
		caseDir = filepath.Dir(filepath.Dir(filepath.Clean(runDir)))
	}
	res := &Result{RunDir: runDir, CaseDir: caseDir, Problems: []Problem{}}
	v := &verifier{ctx: ctx, res: res}
	if strings.HasSuffix(filepath.Clean(runDir), report.PartialSuffix) {
		v.problem(".", KindRun, "unfinished run (a .partial directory is never a complete run)")
	}
	m, ok := v.manifest(runDir)
	if ok {
		res.RunID = m.Run.ID
		v.outputs(runDir, m.Outputs)
		v.caseFile(caseDir, m.Case)
		v.inputs(caseDir, m.Inputs)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(res.Problems) > 0 {
		return res, fmt.Errorf("%s: %w: %d problem(s): %s", runDir, ErrMismatch, len(res.Problems), summary(res.Problems))
	}
	return res, nil
}

// summary names every problem, so the error alone says what to look at.
func summary(ps []Problem) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.String()
	}
	return strings.Join(parts, "; ")
}

type verifier struct {
	ctx context.Context
	res *Result
}

func (v *verifier) problem(path, kind, issue string) {
	v.res.Problems = append(v.res.Problems, Problem{Path: path, Kind: kind, Issue: issue})
}

func (v *verifier) manifest(runDir string) (*report.Manifest, bool) {
	b, err := os.ReadFile(filepath.Join(runDir, report.ManifestJSON))
	if err != nil {
		issue := "unreadable: " + err.Error()
		if errors.Is(err, fs.ErrNotExist) {
			issue = "missing"
		}
		v.problem(report.ManifestJSON, KindManifest, issue)
		return nil, false
	}
	var m report.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		v.problem(report.ManifestJSON, KindManifest, "not valid JSON: "+err.Error())
		return nil, false
	}
	if m.Format != report.ManifestFormat {
		v.problem(report.ManifestJSON, KindManifest, fmt.Sprintf("format %q, this breachscope reads %q", m.Format, report.ManifestFormat))
		return nil, false
	}
	return &m, true
}

// outputs re-hashes every listed output and names every unlisted file.
func (v *verifier) outputs(runDir string, outs []report.Output) {
	listed := map[string]bool{report.ManifestJSON: true}
	for _, o := range outs {
		listed[o.Path] = true
		rel := filepath.FromSlash(o.Path)
		if !filepath.IsLocal(rel) {
			v.problem(o.Path, KindOutput, "path outside the run directory")
			continue
		}
		v.res.Outputs++
		v.file(filepath.Join(runDir, rel), o.Path, KindOutput, o.Size, o.SHA256)
	}
	var extra []string
	err := filepath.WalkDir(runDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(runDir, p)
		if err != nil {
			return err
		}
		if !listed[filepath.ToSlash(rel)] {
			extra = append(extra, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		v.problem(".", KindRun, "cannot list the run directory: "+err.Error())
	}
	sort.Strings(extra)
	for _, p := range extra {
		v.problem(p, KindExtra, "not in the manifest")
	}
}

func (v *verifier) caseFile(caseDir string, c report.CaseRecord) {
	if c.Path == "" {
		v.problem(report.ManifestJSON, KindManifest, "no case file record")
		return
	}
	if sum := sha256.Sum256([]byte(c.Content)); hex.EncodeToString(sum[:]) != c.SHA256 {
		v.problem(c.Path, KindCaseFile, "the manifest's copy of the case file does not match its recorded sha256")
	}
	v.res.CaseFile = true
	v.file(resolve(caseDir, c.Path), c.Path, KindCaseFile, -1, c.SHA256)
}

func (v *verifier) inputs(caseDir string, ins []ingest.Input) {
	for _, in := range ins {
		v.res.Inputs++
		v.file(resolve(caseDir, in.Path), in.Path, KindInput, in.Size, in.SHA256)
	}
}

// resolve places a manifest path: inputs outside the case are recorded absolute.
func resolve(caseDir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(caseDir, filepath.FromSlash(p))
}

// file compares one file with its manifest entry; size -1 is not recorded.
// Outputs must be regular files; inputs may be links to evidence storage.
func (v *verifier) file(full, name, kind string, size int64, sum string) {
	if v.ctx.Err() != nil {
		return
	}
	stat := os.Stat
	if kind == KindOutput {
		stat = os.Lstat
	}
	st, err := stat(full)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		v.problem(name, kind, "missing")
		return
	case err != nil:
		v.problem(name, kind, "unreadable: "+err.Error())
		return
	case !st.Mode().IsRegular():
		v.problem(name, kind, "not a regular file")
		return
	}
	gotSize, gotSum, err := ingest.HashFile(full)
	switch {
	case err != nil:
		v.problem(name, kind, "unreadable: "+err.Error())
	case size >= 0 && gotSize != size:
		v.problem(name, kind, fmt.Sprintf("size differs: %d bytes, manifest says %d", gotSize, size))
	case gotSum != sum:
		v.problem(name, kind, "sha256 differs")
	}
}
