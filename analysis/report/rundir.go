package report

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// PartialSuffix marks a run directory still being written; only a directory
// without it, holding a manifest.json, is a finished run.
const PartialSuffix = ".partial"

// ErrRunExists is returned when the requested run id is already taken.
var ErrRunExists = errors.New("run already exists")

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
