package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/breachscope/breachscope/analysis/synth"
)

type synthOptions struct {
	*globalOptions
	dir       string
	seed      uint64
	customers int
}

func newSynthCmd(g *globalOptions) *cobra.Command {
	opts := &synthOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "synth <new-case-dir>",
		Short: "Write a synthetic case (customers, logs, case.yaml) with its known answer in expected/",
		Long: `synth writes a synthetic breach case: a customer table, JSON-lines access logs
with normal traffic and a hidden attacker, a case.yaml, and the expected answer
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
	return cmd
}

func runSynth(ctx context.Context, opts *synthOptions) error {
	if opts.customers < 1 {
		return usageError{fmt.Errorf("--customers must be at least 1")}
	}
	sum, err := synth.Generate(ctx, opts.dir, synth.Options{Seed: opts.seed, Customers: opts.customers})
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
