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
)

// ErrNoFiles is returned when a source's path or glob matches no file.
var ErrNoFiles = errors.New("no input files")

// expand returns the files a path or glob names, sorted, so input ids and
// therefore event ids are the same on every run.
func expand(caseDir, pattern string) ([]string, error) {
	full := pattern
	if !filepath.IsAbs(full) {
		full = filepath.Join(caseDir, pattern)
	}
	matches, err := filepath.Glob(full)
	if err != nil {
		return nil, fmt.Errorf("glob %q: %w", pattern, err)
	}
	var files []string
	for _, m := range matches {
		st, err := os.Stat(m)
		if err != nil {
			return nil, fmt.Errorf("stat %s: %w", m, err)
		}
		if st.Mode().IsRegular() {
			files = append(files, m)
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%q (looked in %s) matches no file: check the path in case.yaml: %w", pattern, caseDir, ErrNoFiles)
	}
	sort.Strings(files)
	return files, nil
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
