package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/check"
)

type checkOptions struct {
	*globalOptions
	caseDir     string
	sampleLines int
	sampleFiles int
	all         bool
}

func newCheckCmd(g *globalOptions) *cobra.Command {
	opts := &checkOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "check <case-dir>",
		Short: "Check a case before the long run: files, columns, a parsed sample, endpoints, identifiers, scope",
		Long: `check validates the case file, then checks that every input file exists and is
readable and that every mapped customer column exists (listing the columns that
do when one does not). It parses a sample of each log source with the real
ingest code (lines spread across up to --sample-files files) and reports the
parse rate, how many sampled requests each endpoint pattern matches, how many
of their identifiers match a customer after normalisation (the customer tables
are read whole for this), and how many sampled requests each scope indicator
and the window select. It prints counts only, never values from the inputs.

It exits 0 when nothing failed (warnings are allowed), 1 when a check failed,
and 2 when the case file itself is invalid.`,
		Example: "  breachscope check ./acme-breach\n  breachscope check --all --json ./acme-breach > check.json",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.caseDir = args[0]
			return runCheck(cmd.Context(), opts)
		},
	}
	cmd.Flags().IntVar(&opts.sampleLines, "sample-lines", 10000, "lines sampled from each log file")
	cmd.Flags().IntVar(&opts.sampleFiles, "sample-files", 6, "files sampled from each log source (spread over its files)")
	cmd.Flags().BoolVar(&opts.all, "all", false, "parse every line of every log file instead of a sample")
	return cmd
}

func runCheck(ctx context.Context, opts *checkOptions) error {
	c, err := casefile.Load(opts.caseDir)
	if err != nil {
		return err
	}
	st := opts.sessionOptions().Store
	rep, err := check.Run(ctx, c, check.Options{SampleLines: opts.sampleLines, SampleFiles: opts.sampleFiles, All: opts.all, Store: st})
	if err != nil {
		return err
	}
	out := opts.streams.out
	switch {
	case opts.json:
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	case !opts.quiet || rep.Failures > 0:
		fmt.Fprintf(out, "check %s\n", opts.caseDir)
		width := 0
		for _, it := range rep.Items {
			width = max(width, len(label(it)))
		}
		for _, it := range rep.Items {
			if opts.quiet && it.Status != check.Fail {
				continue
			}
			fmt.Fprintf(out, "  %-4s  %-*s  %s\n", it.Status, width, label(it), it.Detail)
		}
		fmt.Fprintf(out, "%d failed, %d warning(s); sampled %d log lines, %d requests\n", rep.Failures, rep.Warnings, rep.SampledLines, rep.SampledRequests)
	}
	if rep.Failures > 0 {
		return fmt.Errorf("%d check(s) failed: %w", rep.Failures, check.ErrProblems)
	}
	return nil
}

func label(it check.Item) string {
	if it.Name == "" {
		return it.Area
	}
	return it.Area + " " + it.Name
}
