package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
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
	logLines  int
	tier      string
	logFormat string
	// customersSet says --customers was given (its default is 1000, which
	// a tier must not silently override or be overridden by).
	customersSet bool
	// The shapes of issue 4 (see synth.Options).
	multiTable, former, mixedFormats, ambiguous, endpoints bool
	// gzipLogs gzips every log file (synth.Options.GzipLogs).
	gzipLogs bool
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
(expected/exposed.csv, expected/summary.json, expected/people.json). The same
seed gives byte-identical files. All people in it are generated; none is real.

--tier writes a case of a preset size for tests and benchmarks, with about 30%
(S) or 37% (M and up) of customers exposed, one uncompressed log file per day,
and the answer also as expected/exposed.parquet:

  tier  customers    exposed     log lines   disk (jsonl)
  S         10,000     3,000       100,000   30 MB
  M      1,000,000   370,000    10,000,000   3.2 GB
  L     10,000,000   3.7 mil.   50,000,000   17 GB
  XL   100,000,000    37 mil.  300,000,000   about 110 GB

Customer phone numbers are fictional: AAA-555-01XX, then the rest of the 555
exchange, then (past about 7 million customers) exchanges 100-199, which no
real line can have.

Shapes of real data that make resolving requests hard, each on its own or
together (the answer follows them):
  --multi-table    subscribers.csv and accounts.csv (one to three per
                   subscriber, some without an address); billing and
                   all-accounts endpoints that return the account named, or all
  --former         former_customers.csv, a second primary table (full names,
                   day-month-year dates, closed account numbers)
  --mixed-formats  phones, account numbers, emails and dates of birth in many
                   forms, in the tables and in requests (URL-encoded too)
  --ambiguous      identifiers held by two customers: household phones, and
                   with --former recycled numbers and reissued accounts
  --endpoints      lookups by customer id and by email, exposing other elements`,
		Example: "  breachscope synth --seed 7 --customers 5000 /tmp/case7\n" +
			"  breachscope run /tmp/case7\n" +
			"  breachscope synth --tier M /data/bench-m\n" +
			"  breachscope synth --multi-table --former --mixed-formats --ambiguous --endpoints /tmp/hard",
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.dir = args[0]
			opts.customersSet = cmd.Flags().Changed("customers")
			return runSynth(cmd.Context(), opts)
		},
	}
	cmd.Flags().Uint64Var(&opts.seed, "seed", 1, "random seed")
	cmd.Flags().IntVar(&opts.customers, "customers", 1000, "number of customers (at most 100,000,000)")
	cmd.Flags().IntVar(&opts.logLines, "log-lines", 0, "log lines in all; legitimate traffic fills what the attacker leaves (0: about two requests per customer)")
	cmd.Flags().StringVar(&opts.tier, "tier", "", "preset size: "+strings.Join(synth.Tiers, ", ")+" (sets the customers and log lines)")
	cmd.Flags().StringVar(&opts.logFormat, "log-format", "jsonl", "format of the access logs: "+strings.Join(synth.LogFormats, ", "))
	cmd.Flags().BoolVar(&opts.multiTable, "multi-table", false, "subscribers and billing accounts in two tables, with billing endpoints")
	cmd.Flags().BoolVar(&opts.former, "former", false, "a third table of former customers")
	cmd.Flags().BoolVar(&opts.mixedFormats, "mixed-formats", false, "identifiers written in many forms")
	cmd.Flags().BoolVar(&opts.ambiguous, "ambiguous", false, "identifiers that belong to more than one customer")
	cmd.Flags().BoolVar(&opts.endpoints, "endpoints", false, "lookups by customer id and by email")
	cmd.Flags().BoolVar(&opts.gzipLogs, "gzip-logs", false, "gzip every log file (fastest level): the logs take about 13% of the disk, for XL on a small disk")
	_ = cmd.RegisterFlagCompletionFunc("tier", cobra.FixedCompletions(synth.Tiers, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("log-format", cobra.FixedCompletions(synth.LogFormats, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runSynth(ctx context.Context, opts *synthOptions) error {
	so := synth.Options{Seed: opts.seed, Customers: opts.customers, LogLines: opts.logLines, LogFormat: opts.logFormat,
		MultiTable: opts.multiTable, Former: opts.former, MixedFormats: opts.mixedFormats, Ambiguous: opts.ambiguous, Endpoints: opts.endpoints,
		GzipLogs: opts.gzipLogs}
	switch {
	case opts.tier != "":
		if !slices.ContainsFunc(synth.Tiers, func(t string) bool { return strings.EqualFold(t, opts.tier) }) {
			return usageError{fmt.Errorf("--tier %q: use one of %s", opts.tier, strings.Join(synth.Tiers, ", "))}
		}
		if opts.customersSet || opts.logLines != 0 {
			return usageError{fmt.Errorf("--tier sets the customers and log lines: drop --customers and --log-lines, or drop --tier")}
		}
		so.Tier, so.Customers = opts.tier, 0
	case opts.customers < 1 || opts.customers > synth.MaxCustomers:
		return usageError{fmt.Errorf("--customers must be between 1 and %d", synth.MaxCustomers)}
	}
	if opts.logLines < 0 {
		return usageError{fmt.Errorf("--log-lines must not be negative")}
	}
	if !slices.Contains(synth.LogFormats, opts.logFormat) {
		return usageError{fmt.Errorf("--log-format %q: use one of %s", opts.logFormat, strings.Join(synth.LogFormats, ", "))}
	}
	// The generator holds a few large arrays the collector need not scan
	// (1.1 GB at 100 million customers) and makes garbage writing lines; a
	// low collection target keeps the garbage small next to the arrays, at
	// little cost.
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	sum, err := synth.Generate(ctx, opts.dir, so)
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
