package synth

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// The case holds (fictional) PII, so it is created the way real case data
// must be: files 0600, directories 0700.
const (
	fileMode = 0o600
	dirMode  = 0o700
)

// bufferedFile is a file behind a large buffer, so that millions of small
// writes cost few system calls.
type bufferedFile struct {
	*bufio.Writer
	f *os.File
}

func createFile(path string) (*bufferedFile, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
	if err != nil {
		return nil, err
	}
	return &bufferedFile{Writer: bufio.NewWriterSize(f, 256<<10), f: f}, nil
}

// Close flushes and closes, reporting the first error: a failed flush must
// not look like a complete file.
func (b *bufferedFile) Close() error {
	err := b.Flush()
	if cerr := b.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// writeFile creates path and lets fill write it.
func writeFile(path string, fill func(w *bufferedFile) error) error {
	w, err := createFile(path)
	if err != nil {
		return err
	}
	if err := fill(w); err != nil {
		w.f.Close()
		return err
	}
	return w.Close()
}

// prepareDir makes sure dir exists and is empty. It reports whether it
// created dir, so a failed run can remove exactly what it made.
func prepareDir(dir string) (created bool, err error) {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, dirMode); err != nil {
			return false, err
		}
		return true, nil
	}
	if err != nil {
		return false, err
	}
	if !fi.IsDir() {
		return false, fmt.Errorf("synth: %s is not a directory", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, err
	}
	if len(entries) > 0 {
		return false, fmt.Errorf("synth: directory %s is not empty", dir)
	}
	return false, nil
}

// Top-level entries a case consists of; a failed run removes them so it
// leaves nothing that looks like a complete case.
var caseEntries = []string{customersFile, subscribersFile, accountsFile, formerFile, "logs", "expected", "case.yaml", "reference.key"}

func cleanup(dir string, created bool) {
	if created {
		os.RemoveAll(dir)
		return
	}
	for _, e := range caseEntries {
		os.RemoveAll(filepath.Join(dir, e))
	}
}
