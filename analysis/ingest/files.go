package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/breachscope/breachscope/analysis/casefile"
)

// ErrNoFiles is returned when a source's path or glob matches no file.
var ErrNoFiles = errors.New("no input files")

// expand returns the files a path or glob names, sorted, so input ids and
// therefore event ids are the same on every run. It leaves out the case's
// own files (see caseFiles) with the default database and secret names.
func expand(caseDir, pattern string) ([]string, error) {
	files, _, err := expandOwn(caseDir, pattern, caseFiles(caseDir, "", ""))
	return files, err
}

// inputFiles is expand for the ingester, which knows the case's database
// and reference secret; note says which of the case's own files the glob
// matched and were left out ("" when none).
func (in *ingester) inputFiles(pattern string) (files []string, note string, err error) {
	files, own, err := expandOwn(in.c.Dir, pattern, caseFiles(in.c.Dir, in.db.Path(), referenceSecret(in.c)))
	if len(own) > 0 {
		note = fmt.Sprintf("the path also matches %d of the case's own file(s), not read: %s", len(own), strings.Join(own, ", "))
	}
	return files, note, err
}

// CaseFiles returns the files a path or glob of case c names as ingest
// reads them: sorted, leaving out the case's own files (see caseFiles), and
// an error wrapping ErrNoFiles when it names none. `check` uses it so that
// it looks at exactly the files an ingest would read.
func CaseFiles(c *casefile.Case, pattern string) ([]string, error) {
	files, _, err := expandOwn(c.Dir, pattern, caseFiles(c.Dir, "", referenceSecret(c)))
	return files, err
}

// referenceSecret is the case's configured reference secret file, "" for
// the default name.
func referenceSecret(c *casefile.Case) string {
	if c.Notice.ReferenceSecretFile == "" {
		return ""
	}
	return c.Resolve(c.Notice.ReferenceSecretFile)
}

// ownFile tells whether a path is one of the case's own files, and names it.
type ownFile func(path string) (name string, own bool)

// caseFiles recognises the files a case directory holds besides its
// inputs: the case file, the case database and its write-ahead log, the
// reference secret, run outputs (runs/) and spill files (.tmp/). A glob
// such as "*" or "**/*.csv" must never read them as evidence: they would be
// counted as inputs, and the secret or earlier outputs (PII) would end up
// in the quarantine. db and secret are "" for the default names.
func caseFiles(caseDir, db, secret string) ownFile {
	if db == "" {
		db = filepath.Join(caseDir, "case.duckdb")
	}
	if secret == "" {
		secret = filepath.Join(caseDir, "reference.key")
	}
	var files []os.FileInfo
	for _, p := range []string{filepath.Join(caseDir, casefile.FileName), db, db + ".wal", secret} {
		if st, err := os.Stat(p); err == nil {
			files = append(files, st)
		}
	}
	var dirs []string
	for _, d := range []string{"runs", ".tmp"} {
		if abs, err := filepath.Abs(filepath.Join(caseDir, d)); err == nil {
			dirs = append(dirs, abs)
		}
	}
	return func(path string) (string, bool) {
		name := relPath(caseDir, path)
		if abs, err := filepath.Abs(path); err == nil {
			for _, d := range dirs {
				if strings.HasPrefix(abs, d+string(filepath.Separator)) {
					return name, true
				}
			}
		}
		st, err := os.Stat(path)
		if err != nil {
			return name, false
		}
		for _, f := range files {
			if os.SameFile(st, f) {
				return name, true
			}
		}
		return name, false
	}
}

// expandOwn is expand, returning also the names of the case's own files
// it left out.
func expandOwn(caseDir, pattern string, isOwn ownFile) (files, own []string, err error) {
	full := pattern
	if !filepath.IsAbs(full) {
		full = filepath.Join(caseDir, pattern)
	}
	matches, err := filepath.Glob(full)
	if err != nil {
		return nil, nil, fmt.Errorf("glob %q: %w", pattern, err)
	}
	for _, m := range matches {
		st, err := os.Stat(m)
		if err != nil {
			return nil, nil, fmt.Errorf("stat %s: %w", m, err)
		}
		if !st.Mode().IsRegular() {
			continue
		}
		if name, ok := isOwn(m); ok {
			own = append(own, name)
			continue
		}
		files = append(files, m)
	}
	if len(files) == 0 {
		also := ""
		if len(own) > 0 {
			also = fmt.Sprintf(" but the case's own files (%s), which are never read as inputs", strings.Join(own, ", "))
		}
		return nil, own, fmt.Errorf("%q (looked in %s) matches no file%s: check the path in case.yaml: %w", pattern, caseDir, also, ErrNoFiles)
	}
	sort.Strings(files)
	return files, own, nil
}

// fileHash is the SHA-256 and size of a file.
type fileHash struct {
	Size   int64
	SHA256 string
}

func hashFile(path string) (fileHash, error) {
	f, err := os.Open(path)
	if err != nil {
		return fileHash{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fileHash{}, fmt.Errorf("read %s: %w", path, err)
	}
	return fileHash{Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// HashFile returns the size and hex SHA-256 of a file.
func HashFile(path string) (int64, string, error) {
	h, err := hashFile(path)
	return h.Size, h.SHA256, err
}

// relPath is path relative to the case directory when it is inside it.
func relPath(caseDir, path string) string {
	if r, err := filepath.Rel(caseDir, path); err == nil && filepath.IsLocal(r) {
		return filepath.ToSlash(r)
	}
	return path
}
