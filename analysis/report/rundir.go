package report

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/breachscope/breachscope/analysis/phases"
)

// PartialSuffix marks a run directory still being written; only a directory
// without it, holding a manifest.json, is a finished run.
const PartialSuffix = ".partial"

// ErrRunExists is returned when the requested run id is already taken.
var ErrRunExists = errors.New("run already exists")

// ErrNoSpace means the disk holding the case is, or would become, full.
var ErrNoSpace = errors.New("not enough disk space")

// CheckSpace fails early when the filesystem that will hold the case's runs
// has less than need bytes free. Callers pass the case database's size: every
// output is a projection of rows in it (the report also adds a table to it),
// so it bounds a run from above in all but pathological cases, and a disk
// that fills anyway mid-run still leaves only a .partial directory. When
// free space cannot be measured the check passes rather than block a run.
func CheckSpace(caseDir string, need int64) error {
	dir := filepath.Join(caseDir, "runs") // may be a link to other storage
	if _, err := os.Stat(dir); err != nil {
		dir = caseDir
	}
	free, err := freeBytes(dir)
	if err != nil || free >= need {
		return nil
	}
	return fmt.Errorf("%s has %s free and a report may need up to %s (the size of the case database, "+
		"an upper bound for its outputs): free some space or move the case, then run report again: %w",
		dir, phases.FormatBytes(free), phases.FormatBytes(need), ErrNoSpace)
}

// freeBytes is the space available to this user on dir's filesystem; a
// variable so tests can simulate a full disk.
var freeBytes = func(dir string) (int64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}

// newRunID names a run by its start time (UTC, to the second).
func newRunID(now time.Time) string { return now.UTC().Format("20060102T150405Z") }

// prepareRunDir creates runs/<id>.partial (0700), clearing a stale partial
// directory left by an interrupted run with the same id.
func prepareRunDir(caseDir, id string) (final, partial string, err error) {
	if id == "" || strings.ContainsAny(id, `/\`) || id == "." || id == ".." || strings.HasSuffix(id, PartialSuffix) {
		return "", "", fmt.Errorf("run id %q: use letters, digits, - and _", id)
	}
	runs := filepath.Join(caseDir, "runs")
	if err := os.MkdirAll(runs, 0o700); err != nil {
		return "", "", err
	}
	final = filepath.Join(runs, id)
	if _, err := os.Stat(final); err == nil {
		return "", "", fmt.Errorf("%s: %w (choose another --run-id)", final, ErrRunExists)
	}
	partial = final + PartialSuffix
	if err := os.RemoveAll(partial); err != nil {
		return "", "", err
	}
	for _, sub := range []string{"", "notify", "legal", "data"} {
		if err := os.Mkdir(filepath.Join(partial, sub), 0o700); err != nil {
			return "", "", err
		}
	}
	return final, partial, nil
}

// finish makes every file 0600 and durable, then renames the partial
// directory to its final name and syncs the parent, so a crash leaves either
// a partial directory or a complete run, never a complete-looking half.
func finish(partial, final string) error {
	err := filepath.WalkDir(partial, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		mode := os.FileMode(0o600)
		if d.IsDir() {
			mode = 0o700
		}
		if err := os.Chmod(p, mode); err != nil {
			return err
		}
		return syncPath(p)
	})
	if err != nil {
		return fmt.Errorf("sync run files: %w", err)
	}
	if err := os.Rename(partial, final); err != nil {
		return fmt.Errorf("publish run: %w", err)
	}
	return syncPath(filepath.Dir(final))
}

func syncPath(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
