package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/breachscope/breachscope/analysis/synth"
)

type synthOptions struct {
	*globalOptions
	dir       string
	seed      uint64
	customers int
	logFormat string
}

func newSynthCmd(g *globalOptions) *cobra.Command {
	opts := &synthOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "synth <new-case-dir>",
		Short: "Write a synthetic case (customers, logs, case.yaml) with its known answer in expected/",
		Long: `synth writes a synthetic breach case: a customer table, access logs (JSON lines,
or --log-format: csv, tsv, parquet, nginx combined, ALB with an application
log for caller identities, API Gateway, CloudTrail) with normal traffic and a
hidden attacker, a case.yaml, and the expected answer
(expected/exposed.csv, expected/summary.json). The same seed gives byte-identical
files. All people in it are generated; none is real.`,
		Example: "  breachscope synth --seed 7 --customers 5000 /tmp/case7\n  breachscope run /tmp/case7",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.dir = args[0]
			return runSynth(cmd.Context(), opts)
		},
	}
	cmd.Flags().Uint64Var(&opts.seed, "seed", 1, "random seed")
	cmd.Flags().IntVar(&opts.customers, "customers", 1000, "number of customers")
	cmd.Flags().StringVar(&opts.logFormat, "log-format", "jsonl", "format of the access logs: "+strings.Join(synth.LogFormats, ", "))
	return cmd
}

func runSynth(ctx context.Context, opts *synthOptions) error {
	if opts.customers < 1 {
		return usageError{fmt.Errorf("--customers must be at least 1")}
	}
	if !slices.Contains(synth.LogFormats, opts.logFormat) {
		return usageError{fmt.Errorf("--log-format %q: use one of %s", opts.logFormat, strings.Join(synth.LogFormats, ", "))}
	}
	sum, err := synth.Generate(ctx, opts.dir, synth.Options{Seed: opts.seed, Customers: opts.customers, LogFormat: opts.logFormat})
	if err != nil {
		return err
	}
	out := opts.streams.out
	if opts.json {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(sum)
	}
	if !opts.quiet {
		fmt.Fprintf(out, "wrote synthetic case %s: %d customers, %d log lines, %d exposed customers expected\n",
			opts.dir, sum.Customers, sum.LogLines, sum.ExposedCustomers)
	}
	return nil
}
