package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/breachscope/breachscope/analysis"
	"github.com/breachscope/breachscope/analysis/store"
)

type streams struct {
	in       io.Reader
	out, err io.Writer
}

// globalOptions are the flags every command shares.
type globalOptions struct {
	streams     *streams
	threads     int
	memoryLimit string
	tempDir     string
	quiet       bool
	json        bool
}

func (g *globalOptions) sessionOptions() analysis.Options {
	return analysis.Options{Store: store.Options{Threads: g.threads, MemoryLimit: g.memoryLimit, TempDir: g.tempDir}}
}

func newRootCmd(s *streams) *cobra.Command {
	g := &globalOptions{streams: s}
	root := &cobra.Command{
		Use:   "breachscope",
		Short: "Find exactly which customers and fields an API abuse exposed",
		Long: `breachscope reads API access logs and customer tables into a case database
(DuckDB), selects the attacker's successful requests, matches them to customers,
and writes notification lists, a workbook for counsel and a manifest that
proves what was done.

A case is a directory with a case.yaml. Start with:
  breachscope synth demo-case      # a synthetic case with a known answer
  breachscope run demo-case        # ingest + analyze + report`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
	}
	root.SetIn(s.in)
	root.SetOut(s.out)
	root.SetErr(s.err)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w (see %s --help)", err, c.CommandPath())}
	})
	pf := root.PersistentFlags()
	pf.IntVar(&g.threads, "threads", 0, "DuckDB worker threads (0: all cores)")
	pf.StringVar(&g.memoryLimit, "memory-limit", "", "memory for breachscope such as 4GB (DuckDB gets 85%: the rest is headroom for memory it does not count); larger work spills to disk")
	pf.StringVar(&g.tempDir, "temp-dir", "", "spill directory (default <case>/.tmp; it holds PII, keep it on protected storage)")
	pf.BoolVarP(&g.quiet, "quiet", "q", false, "print nothing on success")
	pf.BoolVar(&g.json, "json", false, "print a machine-readable summary on stdout")
	root.AddCommand(
		newRunCmd(g),
		newIngestCmd(g),
		newAnalyzeCmd(g),
		newReportCmd(g),
		newSynthCmd(g),
		newTriageCmd(g),
		newVerifyCmd(g),
		newInitCmd(g),
		newCheckCmd(g),
		newQueryCmd(g),
	)
	root.AddCommand(newGenDocsCmd(root))
	wireCommands(root)
	return root
}

// exactArgs is cobra.ExactArgs whose error is a usage error.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.ExactArgs(n)(cmd, args); err != nil {
			return usageError{fmt.Errorf("%w (see %s --help)", err, cmd.CommandPath())}
		}
		return nil
	}
}
