package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/breachscope/breachscope/analysis/fault"
	"github.com/breachscope/breachscope/analysis/report"
	"github.com/breachscope/breachscope/analysis/verify"
)

// buildBinary builds breachscope for tests that must run it as a separate
// process: a process can only be killed -9 from outside.
func buildBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH: cannot build breachscope for the crash tests")
	}
	bin := filepath.Join(t.TempDir(), "breachscope")
	out, err := exec.Command(goTool, "build", "-o", bin, "github.com/breachscope/breachscope/cmd/breachscope").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// paused is a breachscope process stopped at a fault point.
type paused struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr bytes.Buffer // everything after the marker, complete once wait returns
	done   chan struct{}
}

// startPaused runs breachscope with BREACHSCOPE_FAULT=pause:<phase> and
// returns once the process has written the pause marker: from then on it
// does nothing until it is resumed, interrupted or killed.
func startPaused(t *testing.T, bin, phase string, args ...string) *paused {
	t.Helper()
	p := &paused{cmd: exec.Command(bin, args...), done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), fault.Env+"=pause:"+phase)
	stdin, err := p.cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.stdin = stdin
	errPipe, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(errPipe)
	var before strings.Builder
	for {
		line, err := r.ReadString('\n')
		if strings.TrimSuffix(line, "\n") == fault.Marker+phase {
			break
		}
		before.WriteString(line)
		if err != nil {
			p.cmd.Wait()
			t.Fatalf("breachscope %s ended before reaching %s: %v\nstderr:\n%s", strings.Join(args, " "), phase, p.cmd.ProcessState, before.String())
		}
	}
	go func() {
		io.Copy(&p.stderr, r)
		close(p.done)
	}()
	t.Cleanup(func() { p.cmd.Process.Kill() })
	return p
}

// wait waits for the process to end and returns its exit code (-1 when killed).
func (p *paused) wait(t *testing.T) int {
	t.Helper()
	<-p.done
	err := p.cmd.Wait()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return p.cmd.ProcessState.ExitCode()
}

// resume lets a paused process go on.
func (p *paused) resume(t *testing.T) {
	t.Helper()
	if _, err := io.WriteString(p.stdin, "\n"); err != nil {
		t.Fatal(err)
	}
}

// assertNothingLooksComplete checks that every run directory without the
// .partial suffix is a complete run that verifies against its manifest.
func assertNothingLooksComplete(t *testing.T, caseDir string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(caseDir, "runs"))
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), report.PartialSuffix) {
			continue
		}
		if _, err := verify.Run(context.Background(), filepath.Join(caseDir, "runs", e.Name()), verify.Options{}); err != nil {
			t.Errorf("runs/%s looks complete but is not: %v", e.Name(), err)
		}
	}
}

// TestProcessFaults runs breachscope as a separate process (built once)
// and kills, interrupts or blocks it at each phase.
func TestProcessFaults(t *testing.T) {
	bin := buildBinary(t)
	t.Run("kill -9 at each phase", func(t *testing.T) { testKillAtEachPhase(t, bin) })
	t.Run("Ctrl-C at each phase", func(t *testing.T) { testCtrlCPublishesNothing(t, bin) })
	t.Run("case in use", func(t *testing.T) { testCaseInUse(t, bin) })
}

// testKillAtEachPhase kills a real `breachscope run` with SIGKILL at each
// phase and checks that no complete-looking run is left, that the state the
// killed process left behind is refused rather than trusted, and that the
// next run succeeds, verifies and equals a clean run byte for byte.
func testKillAtEachPhase(t *testing.T, bin string) {
	clean := copySample(t)
	mustRun(t, "run", "--quiet", "--run-id", "clean", clean)
	want := readManifest(t, filepath.Join(clean, "runs", "clean")).Outputs

	for _, tc := range []struct {
		phase string
		// after names a command that must be refused after the kill, and why.
		after []string
		why   string
	}{
		{fault.Ingest, []string{"analyze"}, "the last ingest did not finish"},
		{fault.Analyze, []string{"report", "--run-id", "x"}, "case not analysed"},
		{fault.ReportStart, nil, ""},
		{fault.BeforeManifest, nil, ""},
		{fault.BeforeRename, nil, ""},
	} {
		t.Run(tc.phase, func(t *testing.T) {
			dir := copySample(t)
			// A finished run first, so stale state from it could be mistaken
			// for the killed run's.
			mustRun(t, "run", "--quiet", "--run-id", "before", dir)
			p := startPaused(t, bin, tc.phase, "run", "--quiet", "--run-id", "k", dir)
			if err := p.cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			if code := p.wait(t); code != -1 {
				t.Fatalf("exit %d, want killed", code)
			}
			if _, err := os.Stat(filepath.Join(dir, "runs", "k")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("runs/k exists after a kill at %s: %v", tc.phase, err)
			}
			assertNothingLooksComplete(t, dir)
			if tc.after != nil {
				code, _, errOut := runCLI(t, append(tc.after, dir)...)
				if code != ExitFailure || !strings.Contains(errOut, tc.why) {
					t.Errorf("%v after a kill at %s: exit %d, want %d with %q: %s", tc.after, tc.phase, code, ExitFailure, tc.why, errOut)
				}
			}
			mustRun(t, "run", "--quiet", "--run-id", "k", dir)
			mustRun(t, "verify", "--quiet", filepath.Join(dir, "runs", "k"))
			mustRun(t, "verify", "--quiet", filepath.Join(dir, "runs", "before"))
			if diff := cmp.Diff(want, readManifest(t, filepath.Join(dir, "runs", "k")).Outputs); diff != "" {
				t.Errorf("the run after a kill differs from a clean run (-clean +after):\n%s", diff)
			}
			if _, err := os.Stat(filepath.Join(dir, "runs", "k"+report.PartialSuffix)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the partial directory of the killed run was not cleared: %v", err)
			}
		})
	}
}

// testCtrlCPublishesNothing interrupts a real process (SIGINT, as Ctrl-C
// does) while it writes a run: it must exit 130, remove its partial
// directory and publish nothing.
func testCtrlCPublishesNothing(t *testing.T, bin string) {
	for _, phase := range []string{fault.Ingest, fault.Analyze, fault.BeforeManifest, fault.BeforeRename} {
		t.Run(phase, func(t *testing.T) {
			dir := copySample(t)
			p := startPaused(t, bin, phase, "run", "--run-id", "i", dir)
			if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			if code := p.wait(t); code != ExitInterrupted {
				t.Fatalf("exit %d, want %d\nstderr: %s", code, ExitInterrupted, p.stderr.String())
			}
			if !strings.Contains(p.stderr.String(), "interrupted; no run was published") {
				t.Errorf("stderr: %s", p.stderr.String())
			}
			entries, _ := os.ReadDir(filepath.Join(dir, "runs"))
			for _, e := range entries {
				t.Errorf("runs/%s left behind by an interrupted run", e.Name())
			}
			if _, err := os.Stat(filepath.Join(dir, ".tmp")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("spill directory left behind: %v", err)
			}
		})
	}
}

// TestInjectedFailurePublishesNothing fails each phase in-process (no
// kill: the error path runs) and checks the same guarantees.
func TestInjectedFailurePublishesNothing(t *testing.T) {
	dir := copySample(t)
	for _, phase := range []string{fault.Ingest, fault.Analyze, fault.ReportStart, fault.BeforeManifest, fault.BeforeRename} {
		t.Run(phase, func(t *testing.T) {
			t.Setenv(fault.Env, "fail:"+phase)
			code, _, errOut := runCLI(t, "run", "--run-id", "f", dir)
			if code != ExitFailure || !strings.Contains(errOut, "fault injected") {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if entries, _ := os.ReadDir(filepath.Join(dir, "runs")); len(entries) != 0 {
				t.Errorf("a failed run left %d entries in runs/", len(entries))
			}
		})
	}
	mustRun(t, "run", "--quiet", "--run-id", "f", dir)
	mustRun(t, "verify", "--quiet", filepath.Join(dir, "runs", "f"))
}

// testCaseInUse runs a second command on a case while a first process holds
// its database: the second must say so and leave the first's spill
// directory alone, and the first must still finish.
func testCaseInUse(t *testing.T, bin string) {
	dir := copySample(t)
	p := startPaused(t, bin, fault.Analyze, "run", "--quiet", "--run-id", "first", dir)
	if _, err := os.Stat(filepath.Join(dir, ".tmp")); err != nil {
		t.Fatalf("the first process has no spill directory: %v", err)
	}
	code, _, errOut := runCLI(t, "analyze", dir)
	if code != ExitFailure || !strings.Contains(errOut, "another process") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, ".tmp")); err != nil {
		t.Errorf("the second command removed the first's spill directory: %v", err)
	}
	p.resume(t)
	if code := p.wait(t); code != ExitOK {
		t.Fatalf("the first process: exit %d: %s", code, p.stderr.String())
	}
	mustRun(t, "verify", "--quiet", filepath.Join(dir, "runs", "first"))
}
