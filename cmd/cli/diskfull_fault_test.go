package cli

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/breachscope/breachscope/analysis"
	"github.com/breachscope/breachscope/analysis/fault"
)

// mountTmpfs mounts a small tmpfs: the only way to get a really full disk
// without filling the machine's.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0700", "tmpfs", dir).CombinedOutput()
	if err != nil {
		t.Skipf("cannot mount a %s tmpfs (needs root and mount(8)): %v %s: skipping the disk-full test", size, err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir
}

// fill writes a file on dir's filesystem until at most leave bytes are free.
func fill(t *testing.T, dir string, leave int64) string {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "filler")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 1<<16)
	for left := int64(st.Bavail)*int64(st.Bsize) - leave; left > 0; left -= int64(len(chunk)) {
		if left < int64(len(chunk)) {
			chunk = chunk[:left]
		}
		if _, err := f.Write(chunk); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				break
			}
			t.Fatal(err)
		}
	}
	return p
}

// TestDiskFull runs a case on a small tmpfs: a report that cannot fit is
// refused before it writes anything, a disk that fills while the report
// writes gives a clear error and no complete-looking run, and once there is
// room again the next report succeeds and verifies.
func TestDiskFull(t *testing.T) {
	mnt := mountTmpfs(t, "48m")
	bin := buildBinary(t)
	dir := filepath.Join(mnt, "case")
	if err := os.CopyFS(dir, os.DirFS(copySample(t))); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "run", "--quiet", "--run-id", "ok", dir)
	st, err := os.Stat(filepath.Join(dir, analysis.DatabaseFile))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("checked before the report", func(t *testing.T) {
		filler := fill(t, mnt, st.Size()/2)
		defer os.Remove(filler)
		code, _, errOut := runCLI(t, "report", "--run-id", "early", dir)
		if code != ExitFailure || !strings.Contains(errOut, "not enough disk space") || !strings.Contains(errOut, "a report may need up to") {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, name := range []string{"early", "early.partial"} {
			if _, err := os.Stat(filepath.Join(dir, "runs", name)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("runs/%s exists: %v", name, err)
			}
		}
	})

	t.Run("full while writing", func(t *testing.T) {
		p := startPaused(t, bin, fault.ReportStart, "report", "--run-id", "mid", dir)
		filler := fill(t, mnt, 0)
		defer os.Remove(filler)
		p.resume(t)
		code := p.wait(t)
		errOut := p.stderr.String()
		if code != ExitFailure || !strings.Contains(errOut, "not enough disk space on the disk holding") ||
			!strings.Contains(strings.ToLower(errOut), "no space left on device") {
			t.Fatalf("exit %d, want %d with a disk-full message: %s", code, ExitFailure, errOut)
		}
		if _, err := os.Stat(filepath.Join(dir, "runs", "mid")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("runs/mid was published on a full disk: %v", err)
		}
		assertNothingLooksComplete(t, dir)
	})

	mustRun(t, "report", "--quiet", "--run-id", "mid", dir)
	mustRun(t, "verify", "--quiet", filepath.Join(dir, "runs", "mid"))
	mustRun(t, "verify", "--quiet", filepath.Join(dir, "runs", "ok"))
	assertNothingLooksComplete(t, dir)
}
