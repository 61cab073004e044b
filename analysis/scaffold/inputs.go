package scaffold

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ErrNoInput is returned when an input path or glob names no file.
var ErrNoInput = errors.New("no input file")

// expand turns the paths given on the command line (files, globs the shell
// did not expand, or directories) into absolute file paths, sorted.
func expand(what string, args []string) ([]string, error) {
	seen := map[string]bool{}
	var files []string
	add := func(p string) error {
		abs, err := filepath.Abs(p)
		if err != nil {
			return err
		}
		if !seen[abs] {
			seen[abs] = true
			files = append(files, abs)
		}
		return nil
	}
	for _, arg := range args {
		matches := []string{arg}
		if strings.ContainsAny(arg, "*?[") {
			m, err := filepath.Glob(arg)
			if err != nil {
				return nil, fmt.Errorf("--%s %q: bad glob: %v", what, arg, err)
			}
			if len(m) == 0 {
				return nil, fmt.Errorf("--%s %q matches no file (the glob was matched from %s): %w", what, arg, cwd(), ErrNoInput)
			}
			matches = m
		}
		for _, p := range matches {
			st, err := os.Stat(p)
			if errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("--%s %s: no such file (looked from %s): %w", what, p, cwd(), ErrNoInput)
			}
			if err != nil {
				return nil, fmt.Errorf("--%s %s: %w", what, p, err)
			}
			if !st.IsDir() {
				if err := add(p); err != nil {
					return nil, err
				}
				continue
			}
			entries, err := os.ReadDir(p)
			if err != nil {
				return nil, fmt.Errorf("--%s %s: %w", what, p, err)
			}
			n := 0
			for _, e := range entries {
				if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
					if err := add(filepath.Join(p, e.Name())); err != nil {
						return nil, err
					}
					n++
				}
			}
			if n == 0 {
				return nil, fmt.Errorf("--%s %s: the directory holds no file: %w", what, p, ErrNoInput)
			}
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("--%s: give at least one file, glob or directory: %w", what, ErrNoInput)
	}
	sort.Strings(files)
	return files, nil
}

func cwd() string {
	d, err := os.Getwd()
	if err != nil {
		return "the current directory"
	}
	return d
}

// globFor returns a file name pattern that matches exactly files (all in
// one directory, which the pattern does not include): the common prefix and
// suffix of their names around a *, with a trailing * when some are
// compressed copies (.gz) of the same kind. It returns "" when no such
// pattern matches exactly these files.
func globFor(files []string) string {
	if len(files) == 1 {
		return globEscape(filepath.Base(files[0]))
	}
	dir := filepath.Dir(files[0])
	names := make([]string, len(files))
	anyGz := false
	for i, f := range files {
		if filepath.Dir(f) != dir {
			return ""
		}
		names[i] = filepath.Base(f)
		anyGz = anyGz || strings.HasSuffix(names[i], ".gz")
	}
	stems := names
	if anyGz {
		stems = make([]string, len(names))
		for i, n := range names {
			stems[i] = strings.TrimSuffix(n, ".gz")
		}
	}
	prefix, suffix := stems[0], stems[0]
	for _, s := range stems[1:] {
		for !strings.HasPrefix(s, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
		for !strings.HasSuffix(s, suffix) {
			suffix = suffix[1:]
		}
	}
	if len(prefix)+len(suffix) > len(stems[0]) { // overlapping: identical stems
		suffix = ""
	}
	pattern := globEscape(prefix) + "*" + globEscape(suffix)
	if anyGz {
		pattern += "*"
	}
	matches, err := filepath.Glob(filepath.Join(globEscape(dir), pattern))
	if err != nil || len(matches) != len(files) {
		return ""
	}
	for i := range matches {
		if abs, _ := filepath.Abs(matches[i]); abs != files[i] {
			return ""
		}
	}
	return pattern
}

// sourcePath is the path: value for files matched by pattern in their directory.
func sourcePath(caseDir string, files []string, pattern string) string {
	dir := casePath(caseDir, filepath.Dir(files[0]))
	if dir == "." {
		return pattern
	}
	return filepath.ToSlash(filepath.Join(globEscape(dir), pattern))
}

// globEscape quotes the characters filepath.Match treats specially.
func globEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`)
	return r.Replace(s)
}

// casePath is how case.yaml names path: relative to the case directory when
// the file is inside it, absolute otherwise (a case directory is usually
// created next to the evidence, not around it).
func casePath(caseDir, path string) string {
	absCase, err := filepath.Abs(caseDir)
	if err != nil {
		return path
	}
	if r, err := filepath.Rel(absCase, path); err == nil && filepath.IsLocal(r) {
		return filepath.ToSlash(r)
	}
	return path
}

// sourceName derives a source name from a file name: "subscribers_export.csv"
// -> subscribers-export, "gw-2022-11.log.gz" -> gw.
func sourceName(path string, taken map[string]bool) string {
	base := filepath.Base(path)
	for {
		ext := filepath.Ext(base)
		if ext == "" || ext == base {
			break
		}
		base = strings.TrimSuffix(base, ext)
	}
	ws := tokens(base)
	var keep []string
	for _, w := range ws {
		if digitsRE.MatchString(w) { // dates and sequence numbers in file names
			continue
		}
		keep = append(keep, w)
	}
	name := strings.Join(keep, "-")
	if name == "" { // 2023-01.log.gz: name it after its directory
		name = strings.Join(tokens(filepath.Base(filepath.Dir(path))), "-")
	}
	if name == "" {
		name = "source"
	}
	n, out := 1, name
	for taken[out] {
		n++
		out = fmt.Sprintf("%s-%d", name, n)
	}
	taken[out] = true
	return out
}
