package check

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/ingest"
	"github.com/breachscope/breachscope/analysis/phases"
	"github.com/breachscope/breachscope/analysis/sample"
	"github.com/breachscope/breachscope/analysis/store"
)

// inputFiles are the files each source's path names, by source name.
type inputFiles struct {
	customers map[string][]string
	logs      map[string][]string
}

// checkFiles expands every source's path and checks each file can be read.
func checkFiles(c *casefile.Case, r *Report) *inputFiles {
	in := &inputFiles{customers: map[string][]string{}, logs: map[string][]string{}}
	for _, s := range c.Customers.Sources {
		in.customers[s.Name] = expandReadable(c, "customers", s.Name, s.Path, r)
	}
	for _, l := range c.Logs {
		in.logs[l.Name] = expandReadable(c, "logs", l.Name, l.Path, r)
	}
	return in
}

func expandReadable(c *casefile.Case, area, name, pattern string, r *Report) []string {
	full := c.Resolve(pattern)
	matches, err := ingest.CaseFiles(c, pattern)
	switch {
	case errors.Is(err, ingest.ErrNoFiles):
		r.add(area, name, Fail, "path %q matches no file (looked for %s): fix the path in case.yaml", pattern, full)
		return nil
	case err != nil:
		r.add(area, name, Fail, "path %q: %v", pattern, err)
		return nil
	}
	var files []string
	var size int64
	for _, m := range matches {
		st, err := os.Stat(m)
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		f, err := os.Open(m)
		if err == nil {
			_, err = f.Read(make([]byte, 1))
			f.Close()
			if err == io.EOF {
				err = nil
			}
		}
		if err != nil {
			r.add(area, name, Fail, "%s cannot be read: %v", relTo(c.Dir, m), err)
			continue
		}
		files = append(files, m)
		size += st.Size()
	}
	if len(files) == 0 {
		return nil
	}
	r.add(area, name, OK, "%d file(s), %s, readable", len(files), phases.FormatBytes(size))
	return files
}

func relTo(dir, p string) string {
	if r, err := filepath.Rel(dir, p); err == nil && filepath.IsLocal(r) {
		return r
	}
	return p
}

// checkColumns checks that every column a customer source maps exists in
// each of its files, and lists the columns that do exist when one does not.
func checkColumns(ctx context.Context, db *store.DB, c *casefile.Case, in *inputFiles, r *Report) error {
	for _, s := range c.Customers.Sources {
		mapped := map[string]string{} // column -> field
		for f, col := range s.Columns {
			mapped[col] = f
		}
		for f, col := range s.Extra {
			mapped[col] = "extra " + f
		}
		bad := false
		for _, path := range in.customers[s.Name] {
			cols, err := columns(ctx, db, s.Format, path)
			if err != nil {
				r.add("customers", s.Name, Fail, "%s cannot be read as %s: %v", relTo(c.Dir, path), s.Format, err)
				bad = true
				continue
			}
			have := map[string]bool{}
			for _, col := range cols {
				have[strings.ToLower(col)] = true
			}
			var missing []string
			for col, f := range mapped {
				if !have[strings.ToLower(col)] {
					missing = append(missing, fmt.Sprintf("%q (for %s)", col, f))
				}
			}
			if len(missing) > 0 {
				sort.Strings(missing)
				r.add("customers", s.Name, Fail, "%s has no column %s; its columns are: %s",
					relTo(c.Dir, path), strings.Join(missing, ", "), strings.Join(cols, ", "))
				bad = true
			}
		}
		if !bad && len(in.customers[s.Name]) > 0 {
			r.add("customers", s.Name, OK, "all %d mapped columns found in every file", len(mapped))
		}
	}
	return nil
}

// columns lists a customer file's columns.
func columns(ctx context.Context, db *store.DB, format, path string) ([]string, error) {
	reader, args := sample.TableFunction(format, path)
	rows, err := db.Query(ctx, "SELECT * FROM "+reader+" LIMIT 0", args...)
	if err != nil {
		return nil, sample.Sanitize(err)
	}
	defer rows.Close()
	return rows.Columns()
}
