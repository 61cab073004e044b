package check

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/ingest"
	"github.com/breachscope/breachscope/analysis/resolve"
	"github.com/breachscope/breachscope/analysis/sample"
	"github.com/breachscope/breachscope/analysis/store"
)

// sampler writes a sample of each log source into a private directory in
// the case directory (samples hold personal data) and runs the real
// ingest and resolve on it, with the customer tables whole: a match rate
// needs every customer an identifier could name.
type sampler struct {
	c     *casefile.Case
	in    *inputFiles
	opts  Options
	dir   string
	ccase *casefile.Case // c with its log sources pointing at the samples
}

func newSampler(c *casefile.Case, in *inputFiles, opts Options) (*sampler, error) {
	dir, err := os.MkdirTemp(c.Dir, ".check-")
	if err == nil {
		// Absolute, so the sample paths do not depend on how the case
		// directory was named on the command line.
		dir, err = filepath.Abs(dir)
	}
	if err != nil {
		return nil, fmt.Errorf("create sample directory: %w", err)
	}
	s := &sampler{c: c, in: in, opts: opts, dir: dir}
	cc := *c
	cc.Logs = make([]casefile.LogSource, len(c.Logs))
	for i, l := range c.Logs {
		src := filepath.Join(dir, fmt.Sprint(i))
		if err := os.Mkdir(src, 0o700); err != nil {
			s.close()
			return nil, err
		}
		for k, path := range spread(in.logs[l.Name], opts.SampleFiles, opts.All) {
			if err := s.sampleFile(l, path, filepath.Join(src, fmt.Sprintf("%04d-%s", k, filepath.Base(path)))); err != nil {
				s.close()
				return nil, err
			}
		}
		l.Path = filepath.Join(src, "*")
		cc.Logs[i] = l
	}
	s.ccase = &cc
	return s, nil
}

func (s *sampler) close() { os.RemoveAll(s.dir) }

// spread picks up to n files evenly from files (all of them with all).
func spread(files []string, n int, all bool) []string {
	if all || len(files) <= n {
		return files
	}
	out := make([]string, n)
	for k := range out {
		out[k] = files[k*(len(files)-1)/(n-1)]
	}
	return out
}

// sampleFile writes a sample of one log file to dst. Line-oriented formats
// are sampled by lines spread across the file; formats read whole
// (Parquet, CloudTrail documents) are linked.
func (s *sampler) sampleFile(l casefile.LogSource, path, dst string) error {
	if k, _ := sample.Detect(path); k == sample.Parquet || l.Format == "parquet" || l.Format == "cloudtrail" || s.opts.All {
		return os.Symlink(path, dst)
	}
	keepHeader := l.Format == "csv" || l.Format == "tsv"
	lines, err := sample.Spread(path, s.opts.SampleLines, 8, keepHeader)
	if err != nil {
		return fmt.Errorf("sample %s: %w", path, err)
	}
	dst = strings.TrimSuffix(dst, ".gz")
	text := strings.Join(lines, "\n")
	if len(lines) > 0 {
		text += "\n"
	}
	return os.WriteFile(dst, []byte(text), 0o600)
}

// run ingests the sample and checks parsing, endpoints, identifiers and scope.
func (s *sampler) run(ctx context.Context, db *store.DB, r *Report) error {
	res, err := ingest.Run(ctx, db, s.ccase)
	if err != nil {
		r.add("ingest", "", Fail, "the customers and the log sample do not ingest: %v", err)
		return nil
	}
	if err := parseRates(ctx, db, s.c, res, r); err != nil {
		return err
	}
	if r.SampledRequests == 0 {
		return nil
	}
	all := *s.ccase
	all.Scope = casefile.Scope{Match: "all", Success: s.c.Scope.Success}
	all.Window = casefile.TimeWindow{}
	if err := resolve.Run(ctx, db, &all); err != nil {
		return fmt.Errorf("resolve the sample: %w", err)
	}
	if err := endpointRates(ctx, db, s.c, r); err != nil {
		return err
	}
	scoped := *s.ccase
	if err := resolve.Run(ctx, db, &scoped); err != nil {
		return fmt.Errorf("scope the sample: %w", err)
	}
	return scopeCounts(ctx, db, s.c, r)
}
